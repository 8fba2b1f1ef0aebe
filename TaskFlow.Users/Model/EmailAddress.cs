namespace TaskFlow.Users.Model;

/// <summary>
/// The e-mail address rule: a plain <c>local@domain</c> address (no display name, no comments, no spaces), at most
/// 254 characters, a local part of at most 64, and a domain with at least one dot and no empty labels.
/// Addresses are compared case-insensitively; they are stored as the user typed them, trimmed.
/// </summary>
public static class EmailAddress
{
    public const int MaximumLength = 254;
    private const int MaximumLocalPartLength = 64;

    public static string Normalize(string email) => email.Trim();

    public static string? Check(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "An email address is required.";
        }

        var value = Normalize(email);
        if (value.Length > MaximumLength)
        {
            return $"The email address must be at most {MaximumLength} characters long.";
        }

        return IsValid(value) ? null : "The email address is not valid.";
    }

    private static bool IsValid(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || at > MaximumLocalPartLength)
        {
            return false;
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '"' or '[' or ']'))
        {
            return false;
        }

        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Contains('@') || local.StartsWith('.') || local.EndsWith('.') || local.Contains(".."))
        {
            return false;
        }

        var labels = domain.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-'));
    }
}
