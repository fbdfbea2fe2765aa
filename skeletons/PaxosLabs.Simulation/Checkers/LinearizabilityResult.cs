namespace PaxosLabs.Simulation.Checkers;

/// <summary>What the linearizability checker concluded about a history.</summary>
public enum Verdict
{
    /// <summary>Every key's operations can be put in one order that respects real time and the register.</summary>
    Linearizable,

    /// <summary>Some key has no such order; <see cref="LinearizabilityResult.Key"/> names it.</summary>
    NotLinearizable,

    /// <summary>The step budget ran out before a verdict: never to be read as a pass.</summary>
    Inconclusive,
}

/// <summary>
/// The verdict, a human-readable explanation, the key it is about (null when the whole history is
/// linearizable) and the search steps spent over all keys.
/// </summary>
public sealed record LinearizabilityResult(Verdict Verdict, string Explanation, string? Key, long StepsUsed);
