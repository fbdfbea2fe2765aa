namespace PaxosLabs.SinglePaxos;

/// <summary>Round numbers of single-decree Paxos (docs/protocol.md §0.3): <c>long</c>, <see cref="NoRound"/> before any.</summary>
public static class Rounds
{
    /// <summary>No round yet; with <c>Vval = ""</c> it also means "no value" in a promise.</summary>
    public const long NoRound = -1;
}
