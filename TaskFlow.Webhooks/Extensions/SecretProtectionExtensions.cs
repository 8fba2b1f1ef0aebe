using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace TaskFlow.Webhooks.Extensions;

public static class SecretProtectionExtensions
{
    /// <summary>
    /// Signing secrets encrypted at rest with ASP.NET Core Data Protection (<see cref="SecretProtector"/>). The key ring
    /// lives in webhooksdb, shared by every replica under one application name, and each key in it is encrypted with
    /// the key-encryption key from configuration (<see cref="KeyRingOptions"/>), which is not in the database.
    /// </summary>
    public static IDataProtectionBuilder AddSecretProtection(this IServiceCollection services)
    {
        services.AddOptions<KeyRingOptions>()
            .BindConfiguration(KeyRingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SecretProtector>();
        return services.AddDataProtection()
            .SetApplicationName(WebhooksResources.DataProtectionApplication)
            .PersistKeysToDbContext<WebhooksDbContext>()
            .ProtectKeysWithKeyEncryptionKey();
    }

    /// <summary>Data Protection's own extension point: the encryptor of every new key; the decryptor is named in each key.</summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey(this IDataProtectionBuilder builder)
    {
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<KeyRingOptions>>((options, keyRing) =>
                options.XmlEncryptor = new KeyRingXmlEncryptor(KeyRingCipher.FromSecret(keyRing.Value.KeyEncryptionKey)));
        return builder;
    }
}
