using System.Threading.Channels;

namespace PaxosLabs.Detectors;

/// <summary>
/// The monarchical eventual leader detector (Cachin, Guerraoui &amp; Rodrigues, algorithm 2.8;
/// docs/protocol.md §3.3 and §3.4): the leader is the highest node id that the failure detector
/// does not suspect, or <see cref="NoLeader"/> when it suspects them all. Leader changes are
/// published to subscribers.
/// </summary>
/// <remarks>
/// A lock guards the state, since the failure detector's timer and a reader of <see cref="Leader"/>
/// may run on different threads. Publication never waits: each subscriber has its own bounded
/// buffer, and a full buffer drops the publication, so one slow subscriber delays neither the
/// detector nor the other subscribers.
/// </remarks>
public sealed class LeaderDetector : ISuspicionListener
{
    /// <summary>"No leader": every node is suspected. The same value (−1) is used kit-wide, e.g. by Multi-Paxos.</summary>
    public const long NoLeader = -1;

    /// <summary>How many publications a subscriber's buffer holds unless the constructor says otherwise.</summary>
    public const int DefaultSubscriberCapacity = 8;

    private readonly Lock _gate = new();
    private readonly uint[] _nodes;
    private readonly HashSet<uint> _known;
    private readonly HashSet<uint> _suspected = [];
    private readonly List<Channel<long>> _subscribers = [];
    private readonly int _capacity;
    private long _leader;

    /// <param name="nodes">Every node that may lead (distinct ids).</param>
    /// <param name="subscriberCapacity">The size of each subscriber's buffer.</param>
    public LeaderDetector(IEnumerable<uint> nodes, int subscriberCapacity = DefaultSubscriberCapacity)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriberCapacity, 1);
        var list = nodes.ToList();
        _known = [.. list];
        if (list.Count == 0 || _known.Count != list.Count)
        {
            throw new ArgumentException($"A leader detector needs at least one node and distinct ids, not [{string.Join(", ", list)}].", nameof(nodes));
        }

        _nodes = [.. list.Order()];
        _capacity = subscriberCapacity;
        _leader = _nodes[^1]; // nobody is suspected at start: the highest id leads
    }

    /// <summary>Every node that may lead, ascending.</summary>
    public IReadOnlyList<uint> Nodes => _nodes;

    /// <summary>The current leader, or <see cref="NoLeader"/>.</summary>
    public long Leader
    {
        get
        {
            lock (_gate)
            {
                return _leader;
            }
        }
    }

    /// <summary>The nodes suspected now, ascending (a snapshot).</summary>
    public IReadOnlyList<uint> Suspected
    {
        get
        {
            lock (_gate)
            {
                return [.. _suspected.Order()];
            }
        }
    }

    /// <summary>
    /// A new reader that receives every later leader change (the new leader's id, or
    /// <see cref="NoLeader"/>), in order. It does not receive the current leader: subscribe, then
    /// read <see cref="Leader"/>. A subscriber that falls behind by more than its buffer misses
    /// the publications that did not fit.
    /// </summary>
    public ChannelReader<long> Subscribe()
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleWriter = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return channel.Reader;
    }

    /// <summary>The failure detector suspects <paramref name="id"/>. Unknown ids and repeats change nothing.</summary>
    public void Suspect(uint id) => Change(id, suspect: true);

    /// <summary>The failure detector no longer suspects <paramref name="id"/>. Unknown ids and repeats change nothing.</summary>
    public void Restore(uint id) => Change(id, suspect: false);

    private void Change(uint id, bool suspect)
    {
        lock (_gate)
        {
            var before = _leader;
            // BEGIN TODO(3.3): The leader rule. Ignore an id that is not one of the nodes (_known). Record the suspicion (suspect is true: add id to _suspected) or the restoration (remove it); a repeat changes nothing. Then set _leader to the highest id of _nodes that is not suspected, or NoLeader when every node is suspected.
            if (!_known.Contains(id))
            {
                return;
            }

            if (suspect)
            {
                _suspected.Add(id);
            }
            else
            {
                _suspected.Remove(id);
            }

            _leader = NoLeader;
            for (var i = _nodes.Length - 1; i >= 0; i--)
            {
                if (!_suspected.Contains(_nodes[i]))
                {
                    _leader = _nodes[i];
                    break;
                }
            }
            // END TODO(3.3)
            Publish(before, _leader);
        }
    }

    /// <summary>Tells every subscriber about a change of leader; runs under the lock.</summary>
    private void Publish(long before, long after)
    {
        // BEGIN TODO(3.4): The publication rules. Publish only when the leader changed (before != after), also when it became NoLeader. Then write `after` to EVERY subscriber's channel in _subscribers without ever waiting: use Writer.TryWrite, never WriteAsync; a full subscriber drops it and the others still get it.
        if (before == after)
        {
            return;
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(after);
        }
        // STUB
        // // nothing is published yet
        // END TODO(3.4)
    }
}
