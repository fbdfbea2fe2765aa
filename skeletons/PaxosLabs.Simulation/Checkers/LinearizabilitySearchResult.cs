namespace PaxosLabs.Simulation.Checkers;

/// <summary>How the search for one key ended.</summary>
internal enum LinearizabilityOutcome
{
    Linearizable,
    NotLinearizable,
    OutOfBudget,
}

/// <summary>
/// The result of searching one key: the outcome, the steps spent, and the deepest linearization
/// reached (operation indices in order, and the register value after them), which explains a
/// violation: it is where every way forward failed.
/// </summary>
internal sealed record LinearizabilitySearchResult(
    LinearizabilityOutcome Outcome,
    long Steps,
    IReadOnlyList<int> LongestPrefix,
    string ValueAfterPrefix);

/// <summary>
/// One choice on the search stack: the call entry lifted, its operation, the value before it
/// (restored on backtrack), and whether it was a forced read (which has no alternatives).
/// </summary>
internal readonly record struct LinearizabilityFrame(int Call, int Operation, string Before, bool Forced);
