namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Wing &amp; Gong's entry list for one key: every operation's call and return events in time order,
/// as a doubly linked list over arrays. Linearizing an operation "lifts" its two entries out of the
/// list; backtracking "unlifts" them. Because unlifts happen in exactly the reverse order of lifts
/// (the search is a stack), a removed entry keeps its own prev/next links and can be relinked in O(1)
/// (Knuth's dancing links), so the search never copies the list.
/// </summary>
internal sealed class LinearizabilityEntryList
{
    /// <summary>No entry: the end of the list.</summary>
    public const int None = -1;

    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int[] _op;
    private readonly bool[] _isCall;
    private readonly int[] _match;
    private readonly int _head;

    /// <param name="invoke">Invoke time of each operation.</param>
    /// <param name="ret">Return time of each operation (<see cref="KvOperation.Never"/> sorts last).</param>
    public LinearizabilityEntryList(IReadOnlyList<long> invoke, IReadOnlyList<long> ret)
    {
        var count = invoke.Count;
        var events = new (long Time, int Order, int Op)[2 * count];
        for (var i = 0; i < count; i++)
        {
            // At equal times calls sort before returns: an operation that returns at t does not
            // precede one invoked at t (only Return < Invoke orders two operations), so they overlap.
            events[2 * i] = (invoke[i], 0, i);
            events[(2 * i) + 1] = (ret[i], 1, i);
        }

        // Ties otherwise broken by operation index, so the search (and its step count) is deterministic.
        Array.Sort(events);

        _head = 2 * count;
        _next = new int[(2 * count) + 1];
        _prev = new int[(2 * count) + 1];
        _op = new int[2 * count];
        _isCall = new bool[2 * count];
        _match = new int[2 * count];

        var callEntry = new int[count];
        var previous = _head;
        _prev[_head] = None;
        for (var e = 0; e < events.Length; e++)
        {
            var (_, order, op) = events[e];
            _op[e] = op;
            _isCall[e] = order == 0;
            if (_isCall[e])
            {
                callEntry[op] = e;
            }
            else
            {
                // A call always sorts before its own return (Invoke <= Return), so it is known here.
                _match[callEntry[op]] = e;
                _match[e] = callEntry[op];
            }

            _next[previous] = e;
            _prev[e] = previous;
            previous = e;
        }

        _next[previous] = None;
    }

    /// <summary>The first entry still in the list, or <see cref="None"/>.</summary>
    public int First => _next[_head];

    public int Next(int entry) => _next[entry];

    public bool IsCall(int entry) => _isCall[entry];

    /// <summary>The index (within the key's operations) of the operation an entry belongs to.</summary>
    public int OperationOf(int entry) => _op[entry];

    /// <summary>Removes a call entry and its return entry: the operation is linearized.</summary>
    public void Lift(int call)
    {
        Unlink(call);
        Unlink(_match[call]);
    }

    /// <summary>Undoes the latest <see cref="Lift"/> of this call, restoring both entries in place.</summary>
    public void Unlift(int call)
    {
        Relink(_match[call]);
        Relink(call);
    }

    private void Unlink(int entry)
    {
        _next[_prev[entry]] = _next[entry];
        if (_next[entry] != None)
        {
            _prev[_next[entry]] = _prev[entry];
        }
    }

    private void Relink(int entry)
    {
        _next[_prev[entry]] = entry;
        if (_next[entry] != None)
        {
            _prev[_next[entry]] = entry;
        }
    }
}
