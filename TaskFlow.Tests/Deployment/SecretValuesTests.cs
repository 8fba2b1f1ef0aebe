using Npgsql;
using TaskFlow.Manifests;
using TaskFlow.Manifests.Kubernetes;

namespace TaskFlow.Tests.Deployment;

/// <summary>The converter's <c>secrets</c> logic: what it refuses, and encodings that survive any character.</summary>
[Trait("Category", "Deployment")]
public sealed class SecretValuesTests
{
    private const string Env = "base/secrets.env";
    private const string Derived = "base/secrets.derived.env";

    [Fact]
    public void An_empty_value_is_refused_and_nothing_is_written()
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string> { [Env] = "db-password=\nredis-password=abc\n" });

        Assert.False(plan.Succeeded);
        Assert.Contains(plan.Errors, e => e.Contains("'db-password' is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_values_are_generated_and_derived_keys_computed_from_them()
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string>());

        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        var values = SecretValues.ParseEnv(plan.Files[Env], Env, []);
        var derived = SecretValues.ParseEnv(plan.Files[Derived], Derived, []);
        Assert.True(values["db-password"].Length >= 32);
        Assert.Equal($"\"{values["db-password"]}\"", derived["db-password-quoted"]);
        Assert.Equal(values["db-password"], derived["db-password-uri-encoded"]);
        Assert.Contains("admin-password", plan.Generated);
    }

    [Theory]
    [InlineData("semi;colon")]
    [InlineData("quote\"d and 'single'")]
    [InlineData("eq=uals ;Host=evil")]
    [InlineData(" spaces around ")]
    [InlineData("$(NOT_A_VAR) %41 #hash \\back")]
    public void Any_character_survives_the_connection_string_and_the_uri(string password)
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string> { [Env] = $"db-password={password}\nredis-password=r\n" });

        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        var derived = SecretValues.ParseEnv(plan.Files[Derived], Derived, []);
        // What Npgsql reads from the composed connection string is exactly the password.
        var builder = new NpgsqlConnectionStringBuilder($"Host=postgres;Port=5432;Username=postgres;Password={derived["db-password-quoted"]};Database=usersdb");
        Assert.Equal(password, builder.Password);
        Assert.Equal("usersdb", builder.Database);
        Assert.Equal("postgres", builder.Host);
        // And what a URI parser reads from the userinfo.
        var uri = new Uri($"amqp://guest:{derived["db-password-uri-encoded"]}@rabbitmq:5672");
        Assert.Equal("guest:" + password, Uri.UnescapeDataString(uri.UserInfo));
    }

    [Fact]
    public void A_character_a_use_cannot_escape_is_refused_with_the_reason()
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string> { [Env] = "db-password=x\nredis-password=a,b\n" });

        Assert.False(plan.Succeeded);
        Assert.Contains(plan.Errors, e => e.Contains("'redis-password' contains \",\"", StringComparison.Ordinal) &&
                                          e.Contains("StackExchange.Redis", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_a_derived_key_by_hand_and_a_broken_pem_are_refused()
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string>
        {
            [Env] = "db-password=x\nredis-password=y\ndb-password-quoted=\"x\"\n",
            ["base/jwt.pem"] = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
        });

        Assert.False(plan.Succeeded);
        Assert.Contains(plan.Errors, e => e.Contains("'db-password-quoted' is not a key of the Secret", StringComparison.Ordinal));
        Assert.Contains(plan.Errors, e => e.Contains("base/jwt.pem", StringComparison.Ordinal) && e.Contains("not an RSA private key", StringComparison.Ordinal));
    }

    [Fact]
    public void Existing_values_are_kept_byte_for_byte()
    {
        var plan = SecretValues.Prepare(Catalog(), new Dictionary<string, string> { [Env] = "db-password= keep me \nredis-password=r\n", ["monitoring/grafana.env"] = "admin-password=g\n" });

        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        Assert.False(plan.Files.ContainsKey(Env));
        Assert.Equal("\" keep me \"", SecretValues.ParseEnv(plan.Files[Derived], Derived, [])["db-password-quoted"]);
    }

    private static SecretCatalog Catalog()
    {
        var catalog = new SecretCatalog();
        catalog.Add(new SecretKey("db-password", "a password", null, null, null));
        catalog.Add(new SecretKey("db-password-quoted", "quoted", null, "db-password", null, SecretEncoding.ConnectionStringQuoted));
        catalog.Add(new SecretKey("db-password-uri-encoded", "encoded", null, "db-password", null, SecretEncoding.Uri));
        catalog.Add(new SecretKey("redis-password", "a password", null, null, null));
        catalog.Constrain("redis-password", new SecretConstraint(",", "StackExchange.Redis options are separated by ','"));
        catalog.Add(new SecretKey("jwt", "a key", null, null, new SecretFile("jwt.pem", SecretFile.RsaPrivateKeyPem)));
        return catalog;
    }
}
