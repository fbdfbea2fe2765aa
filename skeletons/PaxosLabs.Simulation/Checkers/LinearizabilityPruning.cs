namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Drops, before the search, the operations of a key that cannot matter. Operations that never
/// returned are the search's worst case: each may take effect at any point or not at all, so every
/// subset of them multiplies the configurations to explore. Most of them, though, wrote something
/// no read ever saw, and those can simply be left out.
/// </summary>
internal static class LinearizabilityPruning
{
    /// <summary>
    /// The operations of one key worth searching, in invoke order (which keeps the search's sets of
    /// linearized operations compact: see <see cref="LinearizabilityCache"/>).
    /// </summary>
    public static List<KvOperation> Relevant(IReadOnlyList<KvOperation> ops)
    {
        var reads = ops.Where(o => o.Kind == KvOpKind.Get && o.Returned).Select(o => o.Output!).Distinct(StringComparer.Ordinal).ToList();
        return [.. ops.Where(o => o.Returned || (o.Kind != KvOpKind.Get && Observable(o, reads))).OrderBy(o => o.Invoke)];
    }

    /// <summary>
    /// Whether some read could have seen the effect of a write that never returned. If not, leaving
    /// the write out changes no read: after a Put of v (or an Append of s) every value up to the next
    /// Put starts with v (or contains s), and no read returned such a value, so no read lies in that
    /// stretch, and from the next Put on the values are the same with or without the write.
    /// A Get that never returned is never observable: nobody saw what it read.
    /// </summary>
    private static bool Observable(KvOperation write, List<string> reads) => write.Kind switch
    {
        KvOpKind.Put => reads.Exists(r => r.StartsWith(write.Argument, StringComparison.Ordinal)),
        _ => write.Argument.Length > 0 && reads.Exists(r => r.Contains(write.Argument, StringComparison.Ordinal)),
    };
}
