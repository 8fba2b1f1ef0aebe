using System.Net.Http.Headers;
using System.Text;

namespace TaskFlow.Users.Apis;

/// <summary>
/// Which public client (RFC 6749 section 2.1) sent a token request: <c>client_id</c> in the form, or HTTP Basic with
/// the client id and an empty secret (what client libraries send by default). Omitting it is allowed (API.md); an id
/// not in <see cref="TokenOptions.PublicClients"/>, a secret, or two different ids is <c>invalid_client</c>.
/// </summary>
internal static class PublicClientCheck
{
    /// <summary>The refusal's description, or null when the request may go on.</summary>
    public static string? Refusal(HttpRequest request, IFormCollection form, TokenOptions options)
    {
        var formClient = form["client_id"].ToString();
        string? headerClient = null;
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) &&
            string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(header.Parameter, out var id, out var secret) || secret.Length > 0 || form.ContainsKey("client_secret"))
            {
                return "Public clients do not authenticate: send client_id without a secret.";
            }

            headerClient = id;
        }
        else if (form.ContainsKey("client_secret"))
        {
            return "Public clients do not authenticate: send client_id without a secret.";
        }

        if (headerClient is not null && formClient.Length > 0 && headerClient != formClient)
        {
            return "The client_id of the form and of the Authorization header differ.";
        }

        var clientId = headerClient ?? formClient;
        return clientId.Length == 0 || options.AllowedClients.Contains(clientId, StringComparer.Ordinal)
            ? null
            : "Unknown client_id.";
    }

    /// <summary>RFC 6749 section 2.3.1: both halves are form-urlencoded before the Basic encoding.</summary>
    private static bool TryDecodeBasic(string? parameter, out string clientId, out string secret)
    {
        clientId = secret = "";
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
