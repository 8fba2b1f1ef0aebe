namespace TaskFlow.Manifests;

/// <summary>What <see cref="SecretValues.Prepare"/> decided: files to write, and why it refuses, if it does.</summary>
public sealed record SecretsPlan(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Errors, IReadOnlyList<string> Generated)
{
    public bool Succeeded => Errors.Count == 0;
}
