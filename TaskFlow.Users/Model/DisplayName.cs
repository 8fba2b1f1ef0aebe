namespace TaskFlow.Users.Model;

/// <summary>A display name: 1 to 100 characters after trimming surrounding white space.</summary>
public static class DisplayName
{
    public const int MaximumLength = 100;

    public static string Normalize(string displayName) => displayName.Trim();

    public static string? Check(string? displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            return "A display name is required.";
        }

        var value = Normalize(displayName);
        if (value.Length > MaximumLength)
        {
            return $"The display name must be at most {MaximumLength} characters long.";
        }

        return value.Any(char.IsControl) ? "The display name must not contain control characters." : null;
    }
}
