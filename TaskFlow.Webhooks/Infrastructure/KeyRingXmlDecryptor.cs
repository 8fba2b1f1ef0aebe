using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// Data Protection's key decryptor for what <see cref="KeyRingXmlEncryptor"/> wrote: picks the current or the previous
/// KEK by the identifier the element names.
/// </summary>
public sealed class KeyRingXmlDecryptor : IXmlDecryptor
{
    private readonly IReadOnlyList<KeyRingCipher> _ciphers;

    /// <summary>Data Protection creates decryptors from the type name stored with each key, through a public
    /// constructor taking <see cref="IServiceProvider"/> (its activator passes the application's services).</summary>
    public KeyRingXmlDecryptor(IServiceProvider services)
        : this(services.GetRequiredService<IOptions<KeyRingOptions>>().Value)
    {
    }

    public KeyRingXmlDecryptor(KeyRingOptions options) => _ciphers = options.Ciphers();

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var kekId = KeyRingCipher.KekIdOf(encryptedElement);
        var cipher = _ciphers.FirstOrDefault(c => c.Id == kekId)
            ?? throw new CryptographicException(
                $"The key ring element was encrypted with key-encryption key {kekId ?? "(none named)"}, which is neither " +
                $"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.KeyEncryptionKey)} nor " +
                $"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.PreviousKeyEncryptionKey)}.");
        return cipher.Decrypt(encryptedElement);
    }
}
