namespace PaxosLabs.Simulation;

/// <summary>Something due at a virtual time: a timer, a message delivery, a scripted fault.</summary>
internal sealed class ScheduledEvent(TimeSpan time, long order, Action run)
{
    public TimeSpan Time { get; } = time;

    /// <summary>Breaks ties between events due at the same time: first scheduled, first run.</summary>
    public long Order { get; } = order;

    public Action Run { get; } = run;

    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
