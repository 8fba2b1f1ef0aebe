using TaskFlow.Notifier.Apis;
using TaskFlow.Notifier.Extensions;
using TaskFlow.Notifier.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapTaskFlowOpenApi();
app.MapNotificationsApi();
await app.MigrateNotificationsDatabaseAsync();
await app.RunAsync();
