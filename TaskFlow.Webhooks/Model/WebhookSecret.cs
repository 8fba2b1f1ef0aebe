using System.Security.Cryptography;

namespace TaskFlow.Webhooks.Model;

/// <summary>A signing secret in the Standard Webhooks form: <c>whsec_</c> + base64 of 32 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int KeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The HMAC key: the secret's base64 part, decoded.</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("Not a webhook secret.");
        }

        return Convert.FromBase64String(secret[Prefix.Length..]);
    }
}
