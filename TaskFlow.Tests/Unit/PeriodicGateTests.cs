using TaskFlow.ServiceDefaults.Timing;

namespace TaskFlow.Tests.Unit;

/// <summary><see cref="PeriodicGate"/>: housekeeping on hot paths runs at most once per interval, by exactly one caller.</summary>
[Trait("Category", "Unit")]
public sealed class PeriodicGateTests
{
    [Fact]
    public void One_caller_passes_then_none_until_the_interval_has_passed()
    {
        var gate = new PeriodicGate();

        Assert.True(gate.TryPass(now: 1_000, interval: 100));
        Assert.False(gate.TryPass(now: 1_050, interval: 100));
        Assert.False(gate.TryPass(now: 1_099, interval: 100));
        Assert.True(gate.TryPass(now: 1_100, interval: 100));
    }

    [Fact]
    public void Force_passes_before_the_interval_ends()
    {
        var gate = new PeriodicGate();
        Assert.True(gate.TryPass(now: 1_000, interval: 100));

        Assert.True(gate.TryPass(now: 1_010, interval: 100, force: true));
        Assert.False(gate.TryPass(now: 1_020, interval: 100));
    }

    [Fact]
    public void Of_many_concurrent_callers_due_at_once_exactly_one_passes()
    {
        var gate = new PeriodicGate();
        gate.TryPass(now: 0, interval: 1_000);
        var passed = 0;

        Parallel.For(0, 10_000, _ =>
        {
            if (gate.TryPass(now: 5_000, interval: 1_000))
            {
                Interlocked.Increment(ref passed);
            }
        });

        Assert.Equal(1, passed);
    }
}
