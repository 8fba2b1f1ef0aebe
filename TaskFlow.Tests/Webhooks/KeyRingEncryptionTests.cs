using System.Security.Cryptography;
using System.Xml.Linq;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskFlow.Tests.Unit;
using TaskFlow.Webhooks.Extensions;
using TaskFlow.Webhooks.Infrastructure;

namespace TaskFlow.Tests.Webhooks;

/// <summary>
/// The Data Protection key ring of the Webhooks service is stored encrypted with the key-encryption key (KEK) from the
/// AppHost's secret parameter: the cipher, its Data Protection encryptor and decryptor, the options' start-up
/// validation, the service's own wiring end to end over an in-memory key repository, and the AppHost's parameter.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KeyRingEncryptionTests
{
    private const string Kek = "k9T2mQ7vX4pL8rW1nB6cY3hJ5sD0fG2a";
    private const string OtherKek = "Z8yX7wV6uT5sR4qP3oN2mL1kJ0iH9gF8";
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    [Fact]
    public void Encrypting_then_decrypting_gives_the_same_element()
    {
        var key = MasterKey(out _);
        var cipher = KeyRingCipher.FromSecret(Kek);

        var decrypted = new KeyRingXmlDecryptor(Options(Kek)).Decrypt(new KeyRingXmlEncryptor(cipher).Encrypt(key).EncryptedElement);

        Assert.Equal(key.ToString(SaveOptions.DisableFormatting), decrypted.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public void The_encrypted_element_holds_no_plaintext_names_its_kek_and_uses_a_fresh_nonce()
    {
        var key = MasterKey(out var secret);
        var encryptor = new KeyRingXmlEncryptor(KeyRingCipher.FromSecret(Kek));

        var info = encryptor.Encrypt(key);
        var again = encryptor.Encrypt(key).EncryptedElement;

        var xml = info.EncryptedElement.ToString();
        Assert.Equal(typeof(KeyRingXmlDecryptor), info.DecryptorType);
        Assert.Equal(KeyRingCipher.ElementName, info.EncryptedElement.Name);
        Assert.Equal(KeyRingCipher.FormatVersion, (string?)info.EncryptedElement.Attribute("version"));
        Assert.Equal(KeyRingCipher.FromSecret(Kek).Id, KeyRingCipher.KekIdOf(info.EncryptedElement));
        Assert.DoesNotContain(secret, xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value", xml, StringComparison.Ordinal);
        Assert.Equal(12, Convert.FromBase64String((string)info.EncryptedElement.Element("nonce")!).Length);
        Assert.NotEqual((string?)info.EncryptedElement.Element("nonce"), (string?)again.Element("nonce"));
        Assert.NotEqual((string?)info.EncryptedElement.Element("ciphertext"), (string?)again.Element("ciphertext"));
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    [InlineData("nonce")]
    public void A_tampered_element_fails_to_decrypt(string part)
    {
        var encrypted = KeyRingCipher.FromSecret(Kek).Encrypt(MasterKey(out _));
        var bytes = Convert.FromBase64String((string)encrypted.Element(part)!);
        bytes[bytes.Length / 2] ^= 0x01;
        encrypted.Element(part)!.Value = Convert.ToBase64String(bytes);

        Assert.ThrowsAny<CryptographicException>(() => new KeyRingXmlDecryptor(Options(Kek)).Decrypt(encrypted));
    }

    [Fact]
    public void A_wrong_kek_fails_to_decrypt_even_when_the_element_names_it()
    {
        var encrypted = KeyRingCipher.FromSecret(Kek).Encrypt(MasterKey(out _));
        var other = KeyRingCipher.FromSecret(OtherKek);

        Assert.ThrowsAny<CryptographicException>(() => new KeyRingXmlDecryptor(Options(OtherKek)).Decrypt(encrypted));
        encrypted.SetAttributeValue("kekId", other.Id);
        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(encrypted));
    }

    [Fact]
    public void After_a_rotation_the_previous_kek_still_decrypts_and_the_new_one_encrypts()
    {
        var key = MasterKey(out _);
        var beforeRotation = KeyRingCipher.FromSecret(Kek).Encrypt(key);
        var rotated = Options(OtherKek, previous: Kek);

        Assert.Equal(key.ToString(), new KeyRingXmlDecryptor(rotated).Decrypt(beforeRotation).ToString());
        Assert.Equal(KeyRingCipher.FromSecret(OtherKek).Id, rotated.Ciphers()[0].Id);
        Assert.ThrowsAny<CryptographicException>(() => new KeyRingXmlDecryptor(Options(OtherKek)).Decrypt(beforeRotation));
    }

    [Theory]
    [InlineData(null, null, "Webhooks:KeyEncryptionKey is missing")]
    [InlineData("", null, "Webhooks:KeyEncryptionKey is missing")]
    [InlineData("short-key-of-31-characters-abcd", null, "Webhooks:KeyEncryptionKey is 31 characters long")]
    [InlineData(Kek, "previous-too-short", "Webhooks:PreviousKeyEncryptionKey is 18 characters long")]
    public void Start_up_fails_with_a_clear_message_without_a_long_enough_kek(string? kek, string? previous, string expected)
    {
        using var services = ServiceWiring(kek, previous, new MemoryXmlRepository());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var refused = previous ?? kek;
        if (!string.IsNullOrEmpty(refused))
        {
            Assert.DoesNotContain(refused, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Start_up_accepts_a_long_enough_kek()
    {
        using var services = ServiceWiring(Kek, null, new MemoryXmlRepository());

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void The_service_wiring_stores_the_key_ring_encrypted_and_another_replica_decrypts_with_the_same_kek()
    {
        var repository = new MemoryXmlRepository();
        string protectedSecret;
        using (var replica = ServiceWiring(Kek, null, repository))
        {
            var protector = replica.GetRequiredService<SecretProtector>();
            protectedSecret = protector.Protect("whsec_c2lnbmluZy1zZWNyZXQ=");
            Assert.Equal("whsec_c2lnbmluZy1zZWNyZXQ=", protector.Unprotect(protectedSecret));
        }

        var stored = Assert.Single(repository.GetAllElements());
        var xml = stored.ToString();
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        var encryptedSecret = Assert.Single(stored.Descendants(DataProtection + "encryptedSecret"));
        Assert.Contains(typeof(KeyRingXmlDecryptor).FullName!, (string?)encryptedSecret.Attribute("decryptorType"), StringComparison.Ordinal);
        Assert.Single(encryptedSecret.Elements(KeyRingCipher.ElementName));

        // A fresh provider reads the key from the repository: Data Protection creates the decryptor by its type name.
        using (var otherReplica = ServiceWiring(Kek, null, repository))
        {
            Assert.Equal("whsec_c2lnbmluZy1zZWNyZXQ=", otherReplica.GetRequiredService<SecretProtector>().Unprotect(protectedSecret));
        }

        using var withoutTheKek = ServiceWiring(OtherKek, null, repository);
        Assert.ThrowsAny<CryptographicException>(() => withoutTheKek.GetRequiredService<SecretProtector>().Unprotect(protectedSecret));
    }

    [Fact]
    public async Task The_apphost_hands_webhooks_its_kek_from_a_secret_parameter_and_the_previous_one_when_given()
    {
        var (plain, rotating) = (await WebhooksEnvironmentAsync(), await WebhooksEnvironmentAsync($"--Parameters:webhooks-previous-key-encryption-key={OtherKek}"));

        var kek = Assert.IsType<ParameterResource>(plain["Webhooks__KeyEncryptionKey"]);
        Assert.True(kek.Secret);
        Assert.Equal("webhooks-key-encryption-key", kek.Name);
        Assert.False(plain.ContainsKey("Webhooks__PreviousKeyEncryptionKey"));
        var previous = Assert.IsType<ParameterResource>(rotating["Webhooks__PreviousKeyEncryptionKey"]);
        Assert.True(previous.Secret);
    }

    private static Task<Dictionary<string, object>> WebhooksEnvironmentAsync(params string[] args) =>
        AppHostModel.InspectAsync(args, async builder =>
        {
            var webhooks = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == "webhooks");
            var context = new EnvironmentCallbackContext(builder.ExecutionContext, webhooks);
            foreach (var callback in webhooks.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            return context.EnvironmentVariables
                .Where(e => e.Key.StartsWith("Webhooks__", StringComparison.Ordinal))
                .ToDictionary(e => e.Key, e => e.Value);
        });

    /// <summary>A key element as Data Protection writes it: the secret part marked as requiring encryption.</summary>
    private static XElement MasterKey(out string secret)
    {
        secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        return new XElement("descriptor",
            new XElement("encryption", new XAttribute("algorithm", "AES_256_CBC")),
            new XElement("masterKey",
                new XAttribute(DataProtection + "requiresEncryption", "true"),
                new XComment(" Warning: the key below is in an unencrypted form. "),
                new XElement("value", secret)));
    }

    private static KeyRingOptions Options(string kek, string? previous = null) =>
        new() { KeyEncryptionKey = kek, PreviousKeyEncryptionKey = previous };

    /// <summary>The service's own Data Protection wiring, with the key repository (webhooksdb) replaced by memory.</summary>
    private static ServiceProvider ServiceWiring(string? kek, string? previous, MemoryXmlRepository repository)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Webhooks:KeyEncryptionKey"] = kek,
                ["Webhooks:PreviousKeyEncryptionKey"] = previous,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSecretProtection();
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = repository);
        return services.BuildServiceProvider();
    }

    private sealed class MemoryXmlRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return _elements.Select(e => new XElement(e)).ToList();
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
