namespace PaxosLabs.SinglePaxos;

/// <summary>Timing of a <see cref="Proposer"/>; every value has a usable default.</summary>
public sealed class ProposerOptions
{
    /// <summary>
    /// The deadline of each Prepare and Accept call; null: wait until every node answered or
    /// failed. A lossy network needs a deadline, or a lost message stalls the call for ever.
    /// </summary>
    public TimeSpan? CallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest wait before a retry.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest wait before a retry; the random window doubles up to it.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        if (CallTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CallTimeout must be positive or null, not {t}.", nameof(CallTimeout));
        }

        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
        {
            throw new ArgumentException($"Backoffs must satisfy 0 < MinBackoff <= MaxBackoff (min {MinBackoff}, max {MaxBackoff}).", nameof(MinBackoff));
        }
    }
}
