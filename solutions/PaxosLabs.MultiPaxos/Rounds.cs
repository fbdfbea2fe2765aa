namespace PaxosLabs.MultiPaxos;

/// <summary>Round numbers: unique per proposer (id, id + n, id + 2n, …); <see cref="NoRound"/> before any.</summary>
public static class Rounds
{
    public const long NoRound = -1;

    /// <summary>The smallest round of proposer <paramref name="id"/> (of <paramref name="n"/>) above <paramref name="floor"/>.</summary>
    public static long Above(long floor, uint id, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (floor < id)
        {
            return id;
        }

        var steps = (floor - id) / n + 1;
        return id + steps * n;
    }
}
