using Microsoft.AspNetCore.DataProtection;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>Encrypts signing secrets at rest with ASP.NET Core Data Protection (keys in <see cref="WebhooksDbContext"/>).</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The purpose string: a key ring shared with anything else would not decrypt these.</summary>
    public const string Purpose = "TaskFlow.Webhooks.SigningSecret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
