namespace TaskFlow.Tests.Gateway;

/// <summary>An HTTP/1.1 answer as read off the socket: status, headers (last value wins) and the body text as sent.</summary>
public sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public bool IsProblem(int status) =>
        Status == status &&
        (Header("Content-Type")?.StartsWith("application/problem+json", StringComparison.Ordinal) ?? false) &&
        Body.Contains($"\"status\":{status}", StringComparison.Ordinal);

    public override string ToString() => $"{Status} {Header("Content-Type")} {Body[..Math.Min(Body.Length, 300)]}";
}
