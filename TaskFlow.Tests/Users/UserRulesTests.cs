using TaskFlow.Users.Model;

namespace TaskFlow.Tests.Users;

/// <summary>Unit tests of the Users model rules (no HTTP, no database).</summary>
[Trait("Category", "Unit")]
public sealed class UserRulesTests
{
    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("Ada.Lovelace+tasks@mail.example.co.uk")]
    [InlineData("  padded@example.com  ")]
    public void Valid_email_addresses_pass(string email) => Assert.Null(EmailAddress.Check(email));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("ada@localhost")]
    [InlineData("ada@@example.com")]
    [InlineData("ada lovelace@example.com")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@example..com")]
    [InlineData(".ada@example.com")]
    [InlineData("ada.@example.com")]
    [InlineData("ada@-example.com")]
    public void Invalid_email_addresses_fail(string? email) => Assert.NotNull(EmailAddress.Check(email));

    [Fact]
    public void Email_longer_than_254_fails()
    {
        var email = new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True(email.Length > 254);
        Assert.Contains("254", EmailAddress.Check(email));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("1234567", false)]
    [InlineData("12345678", true)]
    [InlineData("a much longer pass phrase", true)]
    public void Password_needs_at_least_8_characters(string? password, bool valid) =>
        Assert.Equal(valid, PasswordPolicy.Check(password) is null);

    [Fact]
    public void Password_over_the_upper_bound_fails() =>
        Assert.NotNull(PasswordPolicy.Check(new string('x', PasswordPolicy.MaximumLength + 1)));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("A", true)]
    [InlineData("Ada Lovelace", true)]
    [InlineData("bell\u0007", false)]
    public void Display_name_rules(string? displayName, bool valid) =>
        Assert.Equal(valid, DisplayName.Check(displayName) is null);

    [Fact]
    public void Display_name_of_exactly_100_passes_and_101_fails()
    {
        Assert.Null(DisplayName.Check(new string('x', 100)));
        Assert.NotNull(DisplayName.Check(new string('x', 101)));
        // Surrounding white space does not count.
        Assert.Null(DisplayName.Check("  " + new string('x', 100) + "  "));
    }

    [Fact]
    public void Registration_errors_are_keyed_by_json_field_names()
    {
        var errors = UserRules.ValidateRegistration("nope", "short", "").ToDictionary();
        Assert.Equal(["displayName", "email", "password"], errors.Keys.Order().ToArray());
        Assert.True(UserRules.ValidateRegistration("ada@example.com", "long enough", "Ada").IsEmpty);
    }

    [Fact]
    public void Roles_must_be_known_and_not_empty()
    {
        Assert.True(UserRules.ValidateRoles(["user", "admin"]).IsEmpty);
        Assert.True(UserRules.ValidateRoles(["admin"]).IsEmpty);
        Assert.False(UserRules.ValidateRoles([]).IsEmpty);
        Assert.False(UserRules.ValidateRoles(null).IsEmpty);
        Assert.False(UserRules.ValidateRoles(["user", "root"]).IsEmpty);
        Assert.False(UserRules.ValidateRoles(["Admin"]).IsEmpty);
        Assert.False(UserRules.ValidateRoles([null]).IsEmpty);
    }

    [Fact]
    public void Canonical_roles_are_distinct_in_a_stable_order() =>
        Assert.Equal(["user", "admin"], Roles.Canonical(["admin", "user", "admin"]));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Page_limit_outside_1_to_100_fails(int limit) =>
        Assert.False(UserRules.ValidatePage(limit, null, out _).IsEmpty);

    [Fact]
    public void Cursor_round_trips_and_garbage_is_rejected()
    {
        var cursor = new UserCursor(new DateTimeOffset(2026, 11, 26, 10, 0, 0, 123, TimeSpan.Zero), Guid.CreateVersion7());
        Assert.True(UserCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);

        Assert.True(UserRules.ValidatePage(20, cursor.ToString(), out var decoded).IsEmpty);
        Assert.Equal(cursor, decoded);

        Assert.False(UserCursor.TryParse("not a cursor!", out _));
        Assert.False(UserCursor.TryParse("", out _));
        Assert.False(UserCursor.TryParse(cursor.ToString()[..10], out _));
        Assert.False(UserRules.ValidatePage(null, "%%%", out _).IsEmpty);
    }

    [Fact]
    public void Register_trims_inputs_and_gives_the_user_role()
    {
        var now = DateTimeOffset.UtcNow;
        var user = User.Register("  Ada@Example.com ", "  Ada ", "hash", now);
        Assert.Equal("Ada@Example.com", user.Email);
        Assert.Equal("Ada", user.DisplayName);
        Assert.Equal(["user"], user.Roles);
        Assert.False(user.IsAdmin);
        Assert.Equal(7, user.Id.Version);
        Assert.Equal(User.ToStoredPrecision(now), user.CreatedAt);
        Assert.Equal(0, user.CreatedAt.UtcTicks % 10); // microseconds, as PostgreSQL stores them

        var admin = User.Register("root@example.com", "Root", "hash", now, [Roles.Admin]);
        Assert.Equal(["user", "admin"], admin.Roles);
        Assert.True(admin.IsAdmin);
    }

    [Fact]
    public void Rename_and_SetRoles_report_whether_something_changed()
    {
        var created = User.ToStoredPrecision(DateTimeOffset.UtcNow.AddMinutes(-1));
        var user = User.Register("ada@example.com", "Ada", "hash", created);
        var later = created.AddMinutes(1);

        Assert.False(user.Rename(" Ada ", later));
        Assert.Equal(created, user.UpdatedAt);
        Assert.True(user.Rename("Countess", later));
        Assert.Equal(later, user.UpdatedAt);

        Assert.False(user.SetRoles(["user", "user"], later));
        Assert.True(user.SetRoles(["admin", "user"], later));
        Assert.Equal(["user", "admin"], user.Roles);
    }
}
