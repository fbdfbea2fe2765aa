namespace PaxosLabs.Simulation;

/// <summary>
/// A node's view of virtual time. Timers fire as steps of the node that created them; a crash
/// cancels them all.
/// </summary>
internal sealed class SimClock(Simulator simulator, Incarnation owner) : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<SimTimer> _timers = [];

    public override DateTimeOffset GetUtcNow()
    {
        simulator.CheckThread("read the clock");
        return Epoch + simulator.Now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        simulator.CheckThread("read the clock");
        return simulator.Now.Ticks;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        simulator.CheckThread("created a timer");
        var timer = new SimTimer(simulator, owner, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Stops every timer of this incarnation (the node crashed).</summary>
    public void CancelAll()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }

    private sealed class SimTimer(Simulator simulator, Incarnation owner, TimerCallback callback, object? state) : ITimer
    {
        private ScheduledEvent? _next;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            _next?.Cancel();
            _next = null;
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Arm(dueTime);
            }

            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            _next?.Cancel();
            _next = null;
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Arm(TimeSpan due)
        {
            _next = simulator.ScheduleAt(simulator.Now + (due < TimeSpan.Zero ? TimeSpan.Zero : due), () =>
            {
                _next = null;
                if (_disposed)
                {
                    return;
                }

                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    Arm(_period);
                }

                owner.Enqueue(() =>
                {
                    simulator.Record(new TraceEvent(simulator.Steps, simulator.Now, TraceKind.Timer, owner.Node.Name));
                    callback(state);
                });
            });
        }
    }
}
