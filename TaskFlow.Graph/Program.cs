using TaskFlow.Graph.Apis;
using TaskFlow.Graph.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGraphQLApi();
await app.RunAsync();
