using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// AES-256-GCM over one Data Protection key element, under a key derived from a key-encryption key's value with
/// HKDF-SHA256 (fixed labels, so any long random string serves). The element written says which KEK encrypted it
/// (<see cref="Id"/>, derived under another label: it names the KEK without revealing it) and its format version;
/// both are authenticated with the ciphertext, and every element gets a fresh 12-byte nonce.
/// </summary>
public sealed class KeyRingCipher
{
    public static readonly XName ElementName = "taskflowEncryptedKey";
    public const string FormatVersion = "1";
    private const string VersionAttribute = "version";
    private const string KekIdAttribute = "kekId";
    private const int KeySize = 32;
    private const int IdSize = 8;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] KeyLabel = "TaskFlow.Webhooks.KeyRing.KEK.v1"u8.ToArray();
    private static readonly byte[] IdLabel = "TaskFlow.Webhooks.KeyRing.KEK-id.v1"u8.ToArray();

    private readonly byte[] _key;

    private KeyRingCipher(byte[] key, string id)
    {
        _key = key;
        Id = id;
    }

    /// <summary>The KEK's identifier (16 hex digits), written beside everything it encrypts.</summary>
    public string Id { get; }

    public static KeyRingCipher FromSecret(string keyEncryptionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyEncryptionKey);
        var secret = Encoding.UTF8.GetBytes(keyEncryptionKey);
        try
        {
            var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeySize, salt: [], info: KeyLabel);
            var id = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, IdSize, salt: [], info: IdLabel));
            return new KeyRingCipher(key, id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The KEK identifier an encrypted element names (null when it names none).</summary>
    public static string? KekIdOf(XElement encryptedElement) => (string?)encryptedElement.Attribute(KekIdAttribute);

    public XElement Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(FormatVersion, Id));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return new XElement(ElementName,
            new XAttribute(VersionAttribute, FormatVersion),
            new XAttribute(KekIdAttribute, Id),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("ciphertext", Convert.ToBase64String(ciphertext)),
            new XElement("tag", Convert.ToBase64String(tag)));
    }

    /// <summary>The element <see cref="Encrypt"/> was given; <see cref="CryptographicException"/> when it was not
    /// encrypted with this KEK, was altered, or is not in this format.</summary>
    public XElement Decrypt(XElement encryptedElement)
    {
        if (encryptedElement.Name != ElementName || (string?)encryptedElement.Attribute(VersionAttribute) != FormatVersion)
        {
            throw new CryptographicException($"Not a key ring element of format {ElementName} version {FormatVersion}.");
        }

        if (KekIdOf(encryptedElement) != Id)
        {
            throw new CryptographicException($"The key ring element was encrypted with key-encryption key {KekIdOf(encryptedElement)}, not {Id}.");
        }

        var nonce = Base64Child(encryptedElement, "nonce");
        var ciphertext = Base64Child(encryptedElement, "ciphertext");
        var tag = Base64Child(encryptedElement, "tag");
        if (nonce.Length != NonceSize || tag.Length != TagSize)
        {
            throw new CryptographicException("The key ring element's nonce or tag has the wrong size.");
        }

        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(FormatVersion, Id));
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] AssociatedData(string version, string kekId) => Encoding.UTF8.GetBytes($"{ElementName}/{version}/{kekId}");

    private static byte[] Base64Child(XElement element, string name)
    {
        var text = (string?)element.Element(name) ?? throw new CryptographicException($"The key ring element has no {name}.");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new CryptographicException($"The key ring element's {name} is not base64.", e);
        }
    }
}
