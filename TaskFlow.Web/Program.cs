using TaskFlow.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebClient();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapWebClient();
app.Run();
