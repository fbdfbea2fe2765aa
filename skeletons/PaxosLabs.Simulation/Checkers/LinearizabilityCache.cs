namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// A set of linearized operations as a bitset, with an incrementally maintained hash: each
/// operation owns a fixed pseudo-random 64-bit code and the hash is the XOR of the codes of the set
/// members (Zobrist hashing), so setting or clearing a bit updates the hash in O(1) instead of
/// rehashing the whole bitset at every search step.
/// </summary>
internal sealed class LinearizabilityBitset(int count)
{
    public ulong[] Words { get; } = new ulong[(count + 63) / 64];

    public ulong Hash { get; private set; }

    public bool Contains(int i) => (Words[i >> 6] & (1UL << (i & 63))) != 0;

    public void Set(int i)
    {
        Words[i >> 6] |= 1UL << (i & 63);
        Hash ^= Code(i);
    }

    public void Clear(int i)
    {
        Words[i >> 6] &= ~(1UL << (i & 63));
        Hash ^= Code(i);
    }

    // SplitMix64's finalizer: a fixed function of the index, so hashes are the same in every run.
    private static ulong Code(int i)
    {
        var z = ((ulong)i + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Lowe's memoization for Wing &amp; Gong's search: the configurations (set of linearized operations,
/// register value) already explored. Two paths that linearized the same operations and left the same
/// value have the same future, so the second one is pruned; this turns the search from factorial
/// into (at worst) exponential in the number of overlapping operations, and usually near-linear.
///
/// The operations are numbered in invoke order, so a linearized set is almost always "everything
/// up to some point, plus a few beyond": only the words between the first not-full word and the last
/// non-empty one are stored, which keeps an entry small however long the history is.
/// </summary>
internal sealed class LinearizabilityCache
{
    private readonly HashSet<Entry> _seen = new(EntryComparer.Instance);

    // Appends make many equal values along different paths; keeping one copy of each bounds memory.
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public int Count => _seen.Count;

    /// <summary>Adds the configuration; false when it was explored before.</summary>
    public bool Add(LinearizabilityBitset linearized, string value)
    {
        var words = linearized.Words;
        var first = 0;
        while (first < words.Length && words[first] == ulong.MaxValue)
        {
            first++;
        }

        var end = words.Length;
        while (end > first && words[end - 1] == 0)
        {
            end--;
        }

        // Probe with the live words first: a hit (the common case when pruning) allocates nothing.
        if (_seen.Contains(new Entry(words, first, end - first, first, linearized.Hash, value)))
        {
            return false;
        }

        if (!_values.TryGetValue(value, out var shared))
        {
            shared = value;
            _values.Add(value, value);
        }

        _seen.Add(new Entry(words[first..end], 0, end - first, first, linearized.Hash, shared));
        return true;
    }

    /// <summary>
    /// A configuration: words[Start..Start+Length) are the set's words from word FullWords on (all
    /// words before are full, all after empty); Hash is the set's Zobrist hash.
    /// </summary>
    private readonly record struct Entry(ulong[] Words, int Start, int Length, int FullWords, ulong Hash, string Value)
    {
        public ReadOnlySpan<ulong> Span => Words.AsSpan(Start, Length);
    }

    private sealed class EntryComparer : IEqualityComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public bool Equals(Entry x, Entry y) =>
            x.Hash == y.Hash && x.FullWords == y.FullWords && x.Span.SequenceEqual(y.Span) && string.Equals(x.Value, y.Value, StringComparison.Ordinal);

        public int GetHashCode(Entry obj) =>
            HashCode.Combine(obj.Hash, string.GetHashCode(obj.Value, StringComparison.Ordinal));
    }
}
