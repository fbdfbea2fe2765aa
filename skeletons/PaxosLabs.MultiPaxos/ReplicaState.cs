namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The state a replica's handlers and its proposer share — the acceptor and the decided log —
/// behind one lock, so that every method here is one atomic step.
/// </summary>
public sealed class ReplicaState
{
    private readonly Lock _gate = new();
    private readonly Acceptor _acceptor = new();
    private readonly ReplicaLog _log = new(new KvStateMachine());
    private long _promised = Rounds.NoRound;

    public ulong Adu
    {
        get
        {
            lock (_gate)
            {
                return _log.Adu;
            }
        }
    }

    public long AcceptorRnd
    {
        get
        {
            lock (_gate)
            {
                return _acceptor.Rnd;
            }
        }
    }

    public int Buffered
    {
        get
        {
            lock (_gate)
            {
                return _log.Buffered;
            }
        }
    }

    /// <summary>A copy of the key-value store, for tests and displays.</summary>
    public IReadOnlyDictionary<string, string> Data
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_log.StateMachine.Data);
            }
        }
    }

    /// <summary>
    /// The acceptor's answer to a prepare. A second copy of the prepare this acceptor promised last
    /// (the network may duplicate messages) is promised again instead of NACKed: a NACK for the
    /// promised round looks exactly like a promise without votes, and if it overtook the real
    /// promise, the new leader would miss this acceptor's votes. Promising again is what a
    /// duplicated reply would have said, so it is safe.
    /// </summary>
    public PromiseMsg Prepare(PrepareMsg prepare)
    {
        lock (_gate)
        {
            if (prepare.Crnd == _promised && _acceptor.Rnd == _promised)
            {
                var again = new PromiseMsg { Rnd = _promised };
                again.Accepted.AddRange(_acceptor.Votes.Where(v => v.Slot >= prepare.FromSlot).Select(v => v.Clone()));
                return again;
            }

            var promise = _acceptor.Prepare(prepare);
            if (promise.Rnd == prepare.Crnd && prepare.Crnd > _promised)
            {
                _promised = prepare.Crnd;
            }

            return promise;
        }
    }

    public LearnMsg Accept(AcceptMsg accept)
    {
        lock (_gate)
        {
            return _acceptor.Accept(accept);
        }
    }

    public IReadOnlyList<Execution> Decide(ulong slot, Value value)
    {
        lock (_gate)
        {
            return _log.Decide(slot, value);
        }
    }

    /// <summary>Whether this request (or a later one of its client) has run here.</summary>
    public bool IsExecuted(Value value)
    {
        lock (_gate)
        {
            return !value.IsNoop && _log.StateMachine.HasExecuted(value.ClientId, value.ClientSeq);
        }
    }

    /// <summary>The cached response when this exact request ran last for its client.</summary>
    public Response? Cached(Value value)
    {
        lock (_gate)
        {
            return _log.StateMachine.Cached(value.ClientId, value.ClientSeq);
        }
    }

    /// <summary>
    /// The answer to a request that has run here: its cached response, or an error when a later
    /// request of its client ran (that client has moved on); null when it has not run.
    /// </summary>
    public Response? Answered(Value value)
    {
        lock (_gate)
        {
            if (value.IsNoop || !_log.StateMachine.HasExecuted(value.ClientId, value.ClientSeq))
            {
                return null;
            }

            return _log.StateMachine.Cached(value.ClientId, value.ClientSeq)
                ?? new Response { ClientId = value.ClientId, ClientSeq = value.ClientSeq, Error = "a later request of this client has run already" };
        }
    }

    public CatchupReply DecidedFrom(ulong fromSlot)
    {
        lock (_gate)
        {
            var reply = new CatchupReply();
            reply.Decided.AddRange(_log.DecidedFrom(fromSlot).Select(d => new LearnMsg { Slot = d.Slot, Val = d.Value }));
            return reply;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return $"adu={_log.Adu} rnd={_acceptor.Rnd} buffered={_log.Buffered} kv={{{string.Join(", ", _log.StateMachine.Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}}}";
        }
    }
}
