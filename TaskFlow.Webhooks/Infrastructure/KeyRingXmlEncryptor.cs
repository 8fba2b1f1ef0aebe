using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>Data Protection's key encryptor: every new key of the ring is stored encrypted with the current KEK.</summary>
public sealed class KeyRingXmlEncryptor(KeyRingCipher current) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(current.Encrypt(plaintextElement), typeof(KeyRingXmlDecryptor));
}
