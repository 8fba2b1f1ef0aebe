using TaskFlow.Gateway.Docs;
using TaskFlow.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseCanonicalPathsAndRouting();
app.MapDefaultEndpoints();
app.UseGatewayPipeline();
app.MapApiDocs();
app.MapGatewayProxy();
app.Run();
