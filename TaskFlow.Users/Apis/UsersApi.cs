using TaskFlow.ServiceDefaults.Idempotency;

namespace TaskFlow.Users.Apis;

/// <summary>Accounts: registration, the caller's profile, profiles of others, and the admin-only list and roles.</summary>
public static class UsersApi
{
    public const string AdminPolicy = "admin";

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Users");

        users.MapPost("/register", Register)
            .AllowAnonymous()
            .WithIdempotency(IdempotencyScope.ClientIp)
            .WithRequestExample(new RegisterRequest(ApiExamples.Email, ApiExamples.Password, ApiExamples.DisplayName))
            .WithName("RegisterUser")
            .WithSummary("Create an account")
            .WithDescription("Registers a user with the `user` role. The email is unique case-insensitively; the password has at least 8 characters; the display name 1-100.");

        users.MapGet("/me", GetMe)
            .RequireAuthorization()
            .WithName("GetCurrentUser")
            .WithSummary("The caller's account");

        users.MapPut("/me", UpdateMe)
            .RequireAuthorization()
            .WithRequestExample(new UpdateProfileRequest(ApiExamples.DisplayName))
            .WithName("UpdateCurrentUser")
            .WithSummary("Change the caller's display name");

        users.MapGet("/{id:guid}", GetUser)
            .RequireAuthorization()
            .WithParameterExample("id", ApiExamples.UserId)
            .WithName("GetUser")
            .WithSummary("An account by id")
            .WithDescription("The full account for the account itself and admins; only `id` and `displayName` for anyone else.");

        // Lookup by email: how a client picks an assignee by address. Exact, case-insensitive (citext) match only.
        users.MapGet("/lookup", LookupUser)
            .RequireAuthorization()
            .WithParameterExample("email", ApiExamples.ExistingEmail, required: true)
            .WithName("LookupUserByEmail")
            .WithSummary("Find an account by its exact email address")
            .WithDescription("Returns `{id, displayName}` for an exact (case-insensitive) match of `email`; 404 when no account has it; 400 when `email` is missing or not an email address.");

        users.MapGet("", ListUsers)
            .RequireAuthorization(AdminPolicy)
            .WithParameterExample("limit", 20)
            .WithParameterExample("cursor", ApiExamples.FirstPageCursor)
            .WithName("ListUsers")
            .WithSummary("All accounts, oldest first (admin)")
            .WithDescription("Cursor paging: pass `nextCursor` of a page as `cursor` to get the next one; `limit` is 1-100, default 20.");

        users.MapPut("/{id:guid}/roles", SetRoles)
            .RequireAuthorization(AdminPolicy)
            .WithParameterExample("id", ApiExamples.UserId)
            .WithRequestExample(new SetRolesRequest([Roles.User]))
            .WithName("SetUserRoles")
            .WithSummary("Replace an account's roles (admin)");

        MapUserBatch(users);
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidateRegistration(request.Email, request.Password, request.DisplayName);
        if (!errors.IsEmpty || request is not { Email: { } email, Password: { } password, DisplayName: { } displayName })
        {
            return Problems.Validation(errors);
        }

        email = EmailAddress.Normalize(email);
        // The cheap check first; the unique index settles a race between two registrations of one address.
        if (await services.Db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            return Problems.EmailTaken();
        }

        var hash = await services.Passwords.HashAsync(password, cancellationToken);
        var user = User.Register(email, displayName, hash, services.Time.GetUtcNow());
        services.Db.Users.Add(user);
        services.Events.Registered(user);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.EmailTaken();
        }

        return TypedResults.Created($"/users/{user.Id}", UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, NotFound>> GetMe(
        ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == principal.GetUserId(), cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound>> UpdateMe(
        UpdateProfileRequest request, ClaimsPrincipal principal, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidateProfile(request.DisplayName);
        if (!errors.IsEmpty || request.DisplayName is not { } displayName)
        {
            return Problems.Validation(errors);
        }

        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == principal.GetUserId(), cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.Rename(displayName, services.Time.GetUtcNow()))
        {
            services.Events.Updated(user);
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, Ok<PublicUserResponse>, NotFound>> GetUser(
        Guid id, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var seesEverything = user.Id == principal.GetUserId() || principal.IsInRole(Roles.Admin);
        return seesEverything ? TypedResults.Ok(UserResponse.From(user)) : TypedResults.Ok(PublicUserResponse.From(user));
    }

    public static async Task<Results<Ok<PublicUserResponse>, ValidationProblem, ProblemHttpResult>> LookupUser(
        string? email, UsersDbContext db, CancellationToken cancellationToken)
    {
        var error = EmailAddress.Check(email);
        if (error is not null || email is null)
        {
            return Problems.Validation("email", error ?? "An email address is required.");
        }

        var normalized = EmailAddress.Normalize(email);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: "No account has this email address.")
            : TypedResults.Ok(PublicUserResponse.From(user));
    }

    public static async Task<Results<Ok<UserPage>, ValidationProblem>> ListUsers(
        int? limit, string? cursor, UsersDbContext db, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidatePage(limit, cursor, out var after);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }

        var pageSize = limit ?? UserRules.DefaultPageSize;
        var query = db.Users.AsNoTracking();
        if (after is not null)
        {
            query = query.Where(u => EF.Functions.GreaterThan(ValueTuple.Create(u.CreatedAt, u.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        // One row more than asked tells whether another page exists, without a COUNT.
        var rows = await query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? UserCursor.After(page[^1]).ToString() : null;
        return TypedResults.Ok(new UserPage([.. page.Select(UserResponse.From)], next));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound>> SetRoles(
        Guid id, SetRolesRequest request, [AsParameters] UserServices services, SessionRevocation revocation, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidateRoles(request.Roles);
        if (!errors.IsEmpty || request.Roles is not { } roles)
        {
            return Problems.Validation(errors);
        }

        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.SetRoles(roles.OfType<string>(), services.Time.GetUtcNow()))
        {
            services.Events.Updated(user);
            await services.Db.SaveChangesAsync(cancellationToken);
            // Tokens carry roles: those issued before the change stop working at the gateway; a refresh gets the new roles.
            await revocation.RevokeUserTokensAsync(user.Id);
        }

        return TypedResults.Ok(UserResponse.From(user));
    }

    // ---- GET /users/batch: many public profiles in one call (the GraphQL service's users DataLoader). ----

    public const int MaxBatchIds = 100;

    private static void MapUserBatch(RouteGroupBuilder users) =>
        users.MapGet("/batch", GetUserBatch)
            .RequireAuthorization()
            .WithParameterExample("ids", ApiExamples.UserIds, required: true)
            .WithName("GetUserBatch")
            .WithSummary("Public profiles of many accounts")
            .WithDescription("`ids`: 1-100 comma-separated user ids. Answers `{items: [{id, displayName}]}` (what any signed-in user may see of an account); unknown ids are left out.");

    public static async Task<Results<Ok<PublicUserBatch>, ValidationProblem>> GetUserBatch(
        string? ids, UsersDbContext db, CancellationToken cancellationToken)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is 0 or > MaxBatchIds)
        {
            return Problems.Validation("ids", $"Give 1 to {MaxBatchIds} comma-separated user ids.");
        }

        var wanted = new HashSet<Guid>();
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
            {
                return Problems.Validation("ids", "Every id must be a UUID.");
            }

            wanted.Add(id);
        }

        var found = await db.Users.AsNoTracking()
            .Where(u => wanted.Contains(u.Id))
            .OrderBy(u => u.Id)
            .Select(u => new PublicUserResponse(u.Id, u.DisplayName))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PublicUserBatch(found));
    }
}
