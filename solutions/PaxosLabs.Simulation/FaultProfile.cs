namespace PaxosLabs.Simulation;

/// <summary>
/// How the simulated network misbehaves. Every decision is drawn from the simulation's one seeded
/// PRNG; random delays reorder messages. From <see cref="StableAfter"/> on, the network is stable:
/// no drops, duplicates or partitions, and delays stay within bounds, so liveness can be checked.
/// </summary>
public sealed record FaultProfile
{
    /// <summary>Probability that a message is lost.</summary>
    public double DropRate { get; init; }

    /// <summary>Probability that a message is delivered twice.</summary>
    public double DuplicateRate { get; init; }

    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Virtual time after which the network is stable (faults stop; partitions heal).</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.MaxValue;

    /// <summary>A reliable network with small random delays.</summary>
    public static FaultProfile None { get; } = new();

    /// <summary>Drops, duplicates and reordering, stable after 10 s of virtual time.</summary>
    public static FaultProfile Lossy { get; } = new()
    {
        DropRate = 0.05,
        DuplicateRate = 0.05,
        MinDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(30),
        StableAfter = TimeSpan.FromSeconds(10),
    };

    internal void Validate()
    {
        if (DropRate is < 0 or > 1 || DuplicateRate is < 0 or > 1)
        {
            throw new ArgumentException($"Drop and duplicate rates must lie in [0, 1] (drop {DropRate}, duplicate {DuplicateRate}).");
        }

        if (MinDelay < TimeSpan.Zero || MaxDelay < MinDelay)
        {
            throw new ArgumentException($"Delays must satisfy 0 <= MinDelay <= MaxDelay (min {MinDelay}, max {MaxDelay}).");
        }
    }
}
