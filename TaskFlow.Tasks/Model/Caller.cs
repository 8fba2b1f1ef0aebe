using System.Security.Claims;
using TaskFlow.ServiceDefaults.Authentication;

namespace TaskFlow.Tasks.Model;

/// <summary>The authenticated user a request acts for: the token's <c>sub</c> and whether it carries the admin role.</summary>
public sealed record Caller(string UserId, bool IsAdmin)
{
    public const string AdminRole = "admin";

    /// <summary>
    /// Null when the principal has no usable subject: TaskFlow user ids are UUIDs, and a token without one is not
    /// a caller. Ids are kept in their canonical lowercase form so that ownership comparisons are exact.
    /// </summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        return principal.GetUserId() is { } id ? new Caller(id.ToString(), principal.IsInRole(AdminRole)) : null;
    }

    /// <summary>
    /// Minimal-API binding. Endpoints that take a <see cref="Caller"/> require the caller policy, which already
    /// rejected principals without a usable subject, so binding never fails in practice.
    /// </summary>
    public static ValueTask<Caller?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => ValueTask.FromResult(From(context.User));
}
