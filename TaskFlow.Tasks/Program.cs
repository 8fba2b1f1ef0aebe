using TaskFlow.Tasks.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTasksApi();
app.MapCommentBatchApi();
app.MapTaskFlowOpenApi();
app.Run();
