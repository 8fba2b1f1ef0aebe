using System.Globalization;
using System.Text.RegularExpressions;

namespace TaskFlow.Tests.Gateway;

/// <summary>The IETF rate-limit fields of one response, parsed strictly (draft-ietf-httpapi-ratelimit-headers).</summary>
internal sealed partial record RateLimitFields(string Policy, int Quota, int Window, string Name, long Remaining, long Reset, string? Via)
{
    public static RateLimitFields Read(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("RateLimit-Policy", out var policies), $"no RateLimit-Policy on {(int)response.StatusCode}");
        Assert.True(response.Headers.TryGetValues("RateLimit", out var states), $"no RateLimit on {(int)response.StatusCode}");
        var policy = PolicyPattern().Match(Assert.Single(policies));
        var state = StatePattern().Match(Assert.Single(states));
        Assert.True(policy.Success, $"malformed RateLimit-Policy: {string.Join(",", policies)}");
        Assert.True(state.Success, $"malformed RateLimit: {string.Join(",", states)}");
        Assert.Equal(policy.Groups["name"].Value, state.Groups["name"].Value);
        return new RateLimitFields(
            policy.Groups["name"].Value,
            int.Parse(policy.Groups["q"].Value, CultureInfo.InvariantCulture),
            int.Parse(policy.Groups["w"].Value, CultureInfo.InvariantCulture),
            state.Groups["name"].Value,
            long.Parse(state.Groups["r"].Value, CultureInfo.InvariantCulture),
            long.Parse(state.Groups["t"].Value, CultureInfo.InvariantCulture),
            response.Headers.Via.FirstOrDefault()?.ReceivedBy);
    }

    public static long RetryAfterSeconds(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "a 429 without Retry-After");
        var text = Assert.Single(values);
        Assert.Matches("^[0-9]+$", text);
        return long.Parse(text, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^"(?<name>[a-z]+)";q=(?<q>[0-9]+);w=(?<w>[0-9]+)$""")]
    private static partial Regex PolicyPattern();

    [GeneratedRegex("""^"(?<name>[a-z]+)";r=(?<r>[0-9]+);t=(?<t>[0-9]+)$""")]
    private static partial Regex StatePattern();
}
