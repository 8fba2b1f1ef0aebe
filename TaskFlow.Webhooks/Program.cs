using TaskFlow.Webhooks.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapTaskFlowOpenApi();
app.MapWebhooksApi();
await app.RunAsync();
