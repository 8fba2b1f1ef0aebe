namespace TaskFlow.Graph.Model;

/// <summary>A user as REST shows it: the full account (self, admin) or only id and display name (anyone else).</summary>
public sealed record UserView(string Id, string DisplayName, string? Email, IReadOnlyList<string>? Roles, DateTime? CreatedAt);
