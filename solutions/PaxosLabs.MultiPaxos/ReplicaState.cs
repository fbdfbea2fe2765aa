namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The state a replica's handlers and its proposer share — the acceptor and the decided log —
/// behind one lock, so that every method here is one atomic step.
/// Stage 5: with a journal (<see cref="IReplicaJournal"/>), the state starts from what stable
/// storage holds, every change is recorded in the journal in the order it happens, and an answer
/// returns only once the records it depends on are durable. Every <c>snapshotEvery</c> executed
/// slots the store is snapshotted and the log below it compacted; a prepare from a slot inside
/// the snapshot is refused (its votes are gone), naming the snapshot's slot (docs/protocol.md §5.5).
/// </summary>
public sealed class ReplicaState
{
    private readonly Lock _gate = new();
    private readonly Acceptor _acceptor = new();
    private readonly ReplicaLog _log = new(new KvStateMachine());
    private readonly IReplicaJournal? _journal;
    private readonly ulong _snapshotEvery;
    private readonly List<(ulong Slot, TaskCompletionSource Done)> _executedWaiters = [];
    private long _promised = Rounds.NoRound;
    private Snapshot? _snapshot;

    /// <summary>A replica's state in memory only (stages 4 and earlier): a restart loses it.</summary>
    /// <param name="configurations">Stage 6: the configurations of the log, changed as reconfigurations run; null: none are followed.</param>
    public ReplicaState(Configurations? configurations = null)
    {
        Configurations = configurations;
    }

    /// <summary>Stage 5: a replica's state kept in <paramref name="journal"/>, starting from what it recovers.</summary>
    /// <param name="snapshotEvery">Snapshot and compact every this many executed slots; 0 never.</param>
    /// <param name="configurations">Stage 6: as for the other constructor.</param>
    public ReplicaState(IReplicaJournal journal, ulong snapshotEvery, Configurations? configurations = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        _journal = journal;
        _snapshotEvery = snapshotEvery;
        Configurations = configurations;
        var recovered = journal.Recover();
        if (recovered.Snapshot is { } snapshot)
        {
            Restore(snapshot);
            _log.Install(snapshot.Adu);
            _snapshot = snapshot;
        }

        var compacted = _snapshot?.Adu ?? 0;
        _acceptor.Restore(recovered.Rnd, recovered.Votes.Where(v => v.Slot > compacted));
        foreach (var decided in recovered.Decided.Where(d => d.Slot > compacted))
        {
            Reconfigure(_log.Decide(decided.Slot, decided.Val));
        }
    }

    /// <summary>Stage 6: the configurations of the log (guarded by this state's lock: read them through <see cref="ConfigurationOf"/> and <see cref="LatestConfiguration"/>).</summary>
    private Configurations? Configurations { get; }

    /// <summary>
    /// Stage 6: the configuration of <paramref name="slot"/>, or null while it is not final: until
    /// every slot up to slot − α has run here (protocol §6.2). Null too without configurations.
    /// </summary>
    public Epoch? ConfigurationOf(ulong slot)
    {
        if (Configurations is not { } configurations)
        {
            return null; // no lock: a replica's configurations are there from the start or never
        }

        lock (_gate)
        {
            return slot <= _log.Adu + (ulong)configurations.Alpha ? configurations.For(slot) : null;
        }
    }

    /// <summary>Stage 6: the newest configuration this replica knows of (null without configurations).</summary>
    public Epoch? LatestConfiguration
    {
        get
        {
            if (Configurations is not { } configurations)
            {
                return null;
            }

            lock (_gate)
            {
                return configurations.Latest;
            }
        }
    }

    /// <summary>Completes once every slot up to <paramref name="slot"/> has run here (adu ≥ slot).</summary>
    public Task WhenExecutedAsync(ulong slot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_log.Adu >= slot)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _executedWaiters.Add((slot, done));
            cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
            return done.Task;
        }
    }

    /// <summary>Whether this state is kept on stable storage (stage 5).</summary>
    public bool IsDurable => _journal is not null;

    /// <summary>The newest snapshot (the log up to its slot is compacted), or null.</summary>
    public Snapshot? Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _snapshot;
            }
        }
    }

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
    public PromiseMsg Prepare(PrepareMsg prepare) => Durable(PrepareUndurable(prepare));

    /// <summary>
    /// The answer to a prepare, and the journal position it may leave at (see <see cref="Durable{T}"/>).
    /// In memory, the answer is final at once.
    /// </summary>
    public Pending<PromiseMsg> PrepareUndurable(PrepareMsg prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        lock (_gate)
        {
            if (_snapshot is { } snapshot && prepare.FromSlot <= snapshot.Adu)
            {
                // The votes up to the snapshot's slot are gone: promising would hide them. Refuse,
                // and name the snapshot, so the proposer fetches it and prepares from after it.
                return new(new PromiseMsg { Rnd = Rounds.NoRound, SnapshotSlot = snapshot.Adu }, AppendedLocked());
            }

            if (prepare.Crnd == _promised && _acceptor.Rnd == _promised)
            {
                var again = new PromiseMsg { Rnd = _promised };
                again.Accepted.AddRange(_acceptor.Votes.Where(v => v.Slot >= prepare.FromSlot).Select(v => v.Clone()));
                return new(again, AppendedLocked());
            }

            var before = _acceptor.Rnd;
            var promise = _acceptor.Prepare(prepare);
            if (promise.Rnd == prepare.Crnd && prepare.Crnd > _promised)
            {
                _promised = prepare.Crnd;
            }

            if (_acceptor.Rnd != before)
            {
                _journal?.Promised(_acceptor.Rnd);
            }

            // Even a NACK waits for the journal: it reveals a round that may not be on disk yet.
            return new(promise, AppendedLocked());
        }
    }

    public LearnMsg Accept(AcceptMsg accept) => Durable(AcceptUndurable(accept));

    /// <summary>The answer to an accept, and the journal position it may leave at (see <see cref="Durable{T}"/>).</summary>
    public Pending<LearnMsg> AcceptUndurable(AcceptMsg accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        lock (_gate)
        {
            var before = _acceptor.Rnd;
            var learn = _acceptor.Accept(accept);
            if (learn.Rnd == accept.Rnd && accept.Rnd >= before)
            {
                _journal?.Voted(new PValue { Slot = accept.Slot, Vrnd = accept.Rnd, Vval = accept.Val });
            }

            return new(learn, AppendedLocked());
        }
    }

    /// <summary>
    /// Waits until the journal holds every record an answer depends on, then returns the answer:
    /// an acceptor never says what a crash could make it forget. Call it outside any lock, so that
    /// answers computed meanwhile share one flush (group commit).
    /// </summary>
    public T Durable<T>(Pending<T> pending)
    {
        if (_journal is not null && pending.Position > 0)
        {
            _journal.MakeDurable(pending.Position);
        }

        return pending.Answer;
    }

    public IReadOnlyList<Execution> Decide(ulong slot, Value value)
    {
        IReadOnlyList<Execution> executed;
        List<TaskCompletionSource> woken;
        lock (_gate)
        {
            executed = _log.Decide(slot, _acceptor.Shared(slot, value));
            Reconfigure(executed);
            Journal(executed);
            woken = ExecutedWaitersLocked();
        }

        Wake(woken);
        return executed;
    }

    /// <summary>
    /// Stage 5: installs a snapshot that is newer than this replica's log (from the leader's catch-up,
    /// or from an acceptor that refused a prepare). Returns the buffered slots that then ran.
    /// </summary>
    public IReadOnlyList<Execution> Install(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        IReadOnlyList<Execution> executed;
        List<TaskCompletionSource> woken;
        lock (_gate)
        {
            if (snapshot.Adu <= _log.Adu)
            {
                return [];
            }

            Restore(snapshot);
            executed = _log.Install(snapshot.Adu);
            Reconfigure(executed);
            _acceptor.Forget(snapshot.Adu);
            _snapshot = snapshot;
            _journal?.Compact(snapshot, _acceptor.Rnd, [.. _acceptor.Votes], [.. _log.DecidedFrom(snapshot.Adu + 1).Select(d => new LearnMsg { Slot = d.Slot, Val = d.Value })]);
            woken = ExecutedWaitersLocked();
        }

        Wake(woken);
        return executed;
    }

    /// <summary>The store, its sessions and (stage 6) its configurations from a snapshot.</summary>
    private void Restore(Snapshot snapshot)
    {
        _log.StateMachine.Restore(snapshot);
        Configurations?.Restore(snapshot.Epochs);
    }

    /// <summary>A snapshot of the store up to adu, with (stage 6) the configurations.</summary>
    private Snapshot CaptureLocked()
    {
        var snapshot = _log.StateMachine.Capture(_log.Adu);
        if (Configurations is { } configurations)
        {
            snapshot.Epochs.AddRange(configurations.Epochs.Select(e => e.Clone()));
        }

        return snapshot;
    }

    /// <summary>Stage 6: runs the reconfigurations among the executed slots, in order (a batch's too).</summary>
    private void Reconfigure(IReadOnlyList<Execution> executed)
    {
        if (Configurations is not { } configurations)
        {
            return;
        }

        foreach (var execution in executed)
        {
            foreach (var value in execution.Value.Batch.Count == 0 ? [execution.Value] : execution.Value.Batch)
            {
                if (value.Reconfigure is { } members)
                {
                    configurations.Change(execution.Slot, members);
                }
            }
        }
    }

    /// <summary>Takes out the waiters whose slot has run; complete them outside the lock.</summary>
    private List<TaskCompletionSource> ExecutedWaitersLocked()
    {
        var woken = new List<TaskCompletionSource>();
        _executedWaiters.RemoveAll(w =>
        {
            var done = w.Slot <= _log.Adu || w.Done.Task.IsCompleted;
            if (done)
            {
                woken.Add(w.Done);
            }

            return done;
        });
        return woken;
    }

    private static void Wake(List<TaskCompletionSource> woken)
    {
        foreach (var done in woken)
        {
            done.TrySetResult();
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

    /// <summary>The decisions from <paramref name="fromSlot"/> on; with the snapshot first when the log there is compacted.</summary>
    public CatchupReply DecidedFrom(ulong fromSlot)
    {
        lock (_gate)
        {
            var reply = new CatchupReply();
            if (_snapshot is { } snapshot && fromSlot <= snapshot.Adu)
            {
                reply.Snapshot = snapshot;
            }

            reply.Decided.AddRange(_log.DecidedFrom(fromSlot).Select(d => new LearnMsg { Slot = d.Slot, Val = d.Value }));
            return reply;
        }
    }

    private long AppendedLocked() => _journal?.Appended ?? 0;

    /// <summary>Records executed slots, then snapshots and compacts when <c>snapshotEvery</c> more have run.</summary>
    private void Journal(IReadOnlyList<Execution> executed)
    {
        if (_journal is null || executed.Count == 0)
        {
            return;
        }

        foreach (var execution in executed)
        {
            _journal.Decided(execution.Slot, execution.Value);
        }

        if (_snapshotEvery > 0 && _log.Adu >= (_snapshot?.Adu ?? 0) + _snapshotEvery)
        {
            var snapshot = CaptureLocked();
            _journal.Compact(snapshot, _acceptor.Rnd, [.. _acceptor.Votes.Where(v => v.Slot > snapshot.Adu)], []);
            _acceptor.Forget(snapshot.Adu);
            _log.Compact(snapshot.Adu);
            _snapshot = snapshot;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return $"adu={_log.Adu}{(_snapshot is null ? "" : $" snapshot={_snapshot.Adu}")} rnd={_acceptor.Rnd} buffered={_log.Buffered} kv={{{string.Join(", ", _log.StateMachine.Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}}}";
        }
    }
}

/// <summary>An answer of the acceptor and the journal position it must wait for before it leaves (0: none).</summary>
public readonly record struct Pending<T>(T Answer, long Position);
