namespace PaxosLabs.Detectors;

/// <summary>
/// The eventually perfect failure detector with an increasing timeout (Cachin, Guerraoui &amp;
/// Rodrigues, algorithm 2.7; docs/protocol.md §3.1 and §3.2). Every <see cref="Delay"/> it
/// suspects the nodes that did not answer its last heartbeat request and restores the suspected
/// nodes that did; each time it finds it suspected a live node, it waits <see cref="Delta"/>
/// longer from then on.
/// </summary>
/// <remarks>
/// Time comes only from the injected <see cref="TimeProvider"/>, so a test drives the detector
/// with a fake clock and the simulator with its virtual one. A lock guards the state: the timer
/// and incoming heartbeats may race on a real transport. Sends and notifications happen under the
/// lock, so once <see cref="Stop"/> returns the detector is silent.
/// </remarks>
public sealed class FailureDetector
{
    private readonly Lock _gate = new();
    private readonly uint[] _nodes;
    private readonly HashSet<uint> _known;
    private readonly HashSet<uint> _alive;
    private readonly HashSet<uint> _suspected = [];
    private readonly IHeartbeatSender _sender;
    private readonly ISuspicionListener _listener;
    private readonly TimeProvider _time;
    private readonly TimeSpan _delta;
    private TimeSpan _delay;
    private ITimer? _timer;
    private bool _stopped;
    private long _timeouts;

    /// <param name="id">This node's id; it must be one of <paramref name="nodes"/>.</param>
    /// <param name="nodes">Every node watched, this one included (distinct ids).</param>
    /// <param name="delta">The first timeout, and what the timeout grows by after a false suspicion.</param>
    /// <param name="sender">Where heartbeat requests and replies go.</param>
    /// <param name="listener">Told of each suspicion and restoration (the leader detector).</param>
    /// <param name="timeProvider">The only clock the detector uses.</param>
    public FailureDetector(uint id, IEnumerable<uint> nodes, TimeSpan delta, IHeartbeatSender sender, ISuspicionListener listener, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (delta <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must be positive.");
        }

        var list = nodes.ToList();
        _known = [.. list];
        if (_known.Count != list.Count)
        {
            throw new ArgumentException($"Node ids must be distinct: {string.Join(", ", list)}.", nameof(nodes));
        }

        if (!_known.Contains(id))
        {
            throw new ArgumentException($"Node {id} is not among the nodes it watches ({string.Join(", ", list.Order())}).", nameof(id));
        }

        Id = id;
        _nodes = [.. list.Order()];
        _sender = sender;
        _listener = listener;
        _time = timeProvider;
        _delta = delta;

        // Algorithm 2.7, init: every node (this one too) is alive, none is suspected, delay = Δ.
        _alive = [.. _nodes];
        _delay = delta;
    }

    public uint Id { get; }

    /// <summary>Every node watched, ascending, this one included.</summary>
    public IReadOnlyList<uint> Nodes => _nodes;

    /// <summary>The first timeout and the step by which the timeout grows.</summary>
    public TimeSpan Delta => _delta;

    /// <summary>The current timeout: Δ at start, Δ more after each timeout that found a false suspicion.</summary>
    public TimeSpan Delay
    {
        get
        {
            lock (_gate)
            {
                return _delay;
            }
        }
    }

    /// <summary>The nodes heard from since the last timeout, ascending (a snapshot).</summary>
    public IReadOnlyList<uint> Alive
    {
        get
        {
            lock (_gate)
            {
                return [.. _alive.Order()];
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

    /// <summary>How many timeouts have run.</summary>
    public long Timeouts
    {
        get
        {
            lock (_gate)
            {
                return _timeouts;
            }
        }
    }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _timer is not null;
            }
        }
    }

    /// <summary>Starts the timer with the first delay. Calling it again changes nothing; after <see cref="Stop"/> it throws.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                throw new InvalidOperationException($"The failure detector of node {Id} was stopped; a stopped detector never restarts (a restarted node builds a new one).");
            }

            if (_timer is not null)
            {
                return;
            }

            _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            StartTimer(_delay);
        }
    }

    /// <summary>Stops for good: no timeout runs and nothing is sent afterwards. Calling it again changes nothing.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>Handles a heartbeat that arrived for this node. Ignored once stopped.</summary>
    public void Handle(Heartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            // BEGIN TODO(3.1): Heartbeat handling. A request (heartbeat.Request) from any node, known or not, is answered at once: send new Heartbeat { From = Id, To = heartbeat.From, Request = false } with _sender. A reply marks its sender alive (add heartbeat.From to _alive when it is one of the watched nodes, _known). Nothing else: a request marks no one alive.
            if (heartbeat.Request)
            {
                _sender.Send(new Heartbeat { From = Id, To = heartbeat.From, Request = false });
            }
            else if (_known.Contains(heartbeat.From))
            {
                _alive.Add(heartbeat.From);
            }
            // END TODO(3.1)
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_timer is null)
            {
                return; // stopped while this callback was on its way
            }

            _timeouts++;
            OnTimeout();
        }
    }

    /// <summary>The timeout procedure of algorithm 2.7; runs under the lock.</summary>
    private void OnTimeout()
    {
        // BEGIN TODO(3.2): The timeout procedure (docs/protocol.md §3.2). (1) If some node is both in _alive and in _suspected, _delay += _delta, ONCE however many such nodes there are. (2) For each id of _nodes (ascending): not alive and not suspected → add to _suspected and _listener.Suspect(id); alive and suspected → remove from _suspected and _listener.Restore(id). (3) Send a request new Heartbeat { From = Id, To = id, Request = true } to EVERY id of _nodes, this node included, ascending. (4) Clear _alive. (5) StartTimer(_delay). No special case for this node.
        if (_alive.Overlaps(_suspected))
        {
            _delay += _delta;
        }

        foreach (var id in _nodes)
        {
            var alive = _alive.Contains(id);
            var suspected = _suspected.Contains(id);
            if (!alive && !suspected)
            {
                _suspected.Add(id);
                _listener.Suspect(id);
            }
            else if (alive && suspected)
            {
                _suspected.Remove(id);
                _listener.Restore(id);
            }
        }

        foreach (var id in _nodes)
        {
            _sender.Send(new Heartbeat { From = Id, To = id, Request = true });
        }

        _alive.Clear();
        StartTimer(_delay);
        // END TODO(3.2)
    }

    /// <summary>(Re)arms the one-shot timer to fire once after <paramref name="delay"/>.</summary>
    private void StartTimer(TimeSpan delay) => _timer?.Change(delay, Timeout.InfiniteTimeSpan);
}
