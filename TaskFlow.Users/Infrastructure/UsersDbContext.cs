using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Users.Infrastructure;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options);
