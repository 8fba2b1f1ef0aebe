using TaskFlow.Graph.Apis;
using TaskFlow.Graph.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapGraphQLApi();
await app.RunAsync();
