namespace TaskFlow.Tasks.Model;

public static class Timestamps
{
    /// <summary>MongoDB stores milliseconds; truncating first makes what we return equal what we stored and page on.</summary>
    public static DateTime Truncate(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    public static long ToUnixMilliseconds(DateTime value) => new DateTimeOffset(Truncate(value)).ToUnixTimeMilliseconds();

    public static DateTime FromUnixMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime;
}
