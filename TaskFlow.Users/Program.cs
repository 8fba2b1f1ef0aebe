using TaskFlow.Users.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTaskFlowOpenApi();
app.MapUsersEndpoints();
app.Run();
