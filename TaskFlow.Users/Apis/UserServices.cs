namespace TaskFlow.Users.Apis;

/// <summary>What the account handlers need, bundled.</summary>
public sealed record UserServices(UsersDbContext Db, PasswordHashing Passwords, UserEventStaging Events, TimeProvider Time);
