using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// The key-encryption key (KEK) of the Data Protection key ring (section <c>Webhooks</c>): the AppHost's secret
/// parameter <c>webhooks-key-encryption-key</c>, never stored in <c>webhooksdb</c>, so a dump of the database alone
/// decrypts no signing secret. Any random string of at least <see cref="MinimumLength"/> characters serves (the key is
/// derived from it). Rotation: the old value moves to <see cref="PreviousKeyEncryptionKey"/>, which still decrypts the
/// keys it encrypted.
/// </summary>
public sealed class KeyRingOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>About 190 bits of entropy in letters and digits (the AppHost generates this many).</summary>
    public const int MinimumLength = 32;

    /// <summary>Encrypts every new key of the ring, and decrypts the keys it encrypted.</summary>
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>Optional: the KEK before a rotation; only decrypts.</summary>
    public string? PreviousKeyEncryptionKey { get; set; }

    /// <summary>The ciphers of the current KEK, then of the previous one (if any).</summary>
    public IReadOnlyList<KeyRingCipher> Ciphers() => string.IsNullOrEmpty(PreviousKeyEncryptionKey)
        ? [KeyRingCipher.FromSecret(KeyEncryptionKey)]
        : [KeyRingCipher.FromSecret(KeyEncryptionKey), KeyRingCipher.FromSecret(PreviousKeyEncryptionKey)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The messages never carry the values.
        if (string.IsNullOrEmpty(KeyEncryptionKey))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(KeyEncryptionKey)} is missing: it encrypts the Data Protection key ring and must come " +
                "from outside the database (the AppHost's secret parameter webhooks-key-encryption-key; in Kubernetes the " +
                "Secret taskflow-secrets).", [nameof(KeyEncryptionKey)]);
        }
        else if (KeyEncryptionKey.Length < MinimumLength)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(KeyEncryptionKey)} is {KeyEncryptionKey.Length} characters long; at least {MinimumLength} " +
                "random characters are required.", [nameof(KeyEncryptionKey)]);
        }

        if (!string.IsNullOrEmpty(PreviousKeyEncryptionKey) && PreviousKeyEncryptionKey.Length < MinimumLength)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(PreviousKeyEncryptionKey)} is {PreviousKeyEncryptionKey.Length} characters long; at least " +
                $"{MinimumLength} are required (or leave it unset).", [nameof(PreviousKeyEncryptionKey)]);
        }
    }
}
