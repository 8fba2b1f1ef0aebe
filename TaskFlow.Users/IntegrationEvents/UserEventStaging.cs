using TaskFlow.Messaging.Contracts;

namespace TaskFlow.Users.IntegrationEvents;

/// <summary>
/// Stages <c>user.registered</c> and <c>user.updated</c> in the outbox of the request's <see cref="UsersDbContext"/>,
/// so each is written by the same SaveChanges (one transaction) as the change it describes; the outbox relay of
/// TaskFlow.Messaging publishes it afterwards, also when RabbitMQ was down at the time.
/// </summary>
public sealed class UserEventStaging(UsersDbContext db, TimeProvider time)
{
    public void Registered(User user) =>
        db.AddIntegrationEvent(new UserRegistered(user.Id, user.Email, user.DisplayName, user.Roles, time.GetUtcNow()), Subject(user));

    public void Updated(User user) =>
        db.AddIntegrationEvent(new UserUpdated(user.Id, user.Email, user.DisplayName, user.Roles, time.GetUtcNow()), Subject(user));

    public static string Subject(User user) => $"users/{user.Id}";
}
