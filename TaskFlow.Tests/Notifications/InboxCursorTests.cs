using TaskFlow.Notifier.Model;
using TaskFlow.ServiceDefaults.Paging;

namespace TaskFlow.Tests.Notifications;

[Trait("Category", "Unit")]
public sealed class InboxCursorTests
{
    [Fact]
    public void Cursor_round_trips_and_is_opaque()
    {
        var cursor = new TimeOrderedCursor(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero).AddTicks(1234), Guid.NewGuid());
        var text = cursor.Encode();
        Assert.DoesNotContain(cursor.Id.ToString("N"), text, StringComparison.OrdinalIgnoreCase);
        Assert.True(TimeOrderedCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("MTIzNDU")] // "12345": no separator
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")] // ticks out of range
    public void Garbage_is_not_a_cursor(string text)
    {
        Assert.False(TimeOrderedCursor.TryDecode(text, out _));
    }
}
