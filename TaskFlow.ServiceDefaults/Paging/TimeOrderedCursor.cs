using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TaskFlow.ServiceDefaults.Paging;

/// <summary>
/// Opaque keyset cursor for the newest-first lists kept in PostgreSQL (the inbox, webhooks, deliveries): the
/// (createdAt, id) of the last item of the previous page.
/// Clients must treat it as an opaque string.
/// </summary>
public readonly record struct TimeOrderedCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string? text, out TimeOrderedCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 2 &&
                long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks &&
                Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new TimeOrderedCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
