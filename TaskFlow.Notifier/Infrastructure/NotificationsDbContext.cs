using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Notifier.Infrastructure;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options);
