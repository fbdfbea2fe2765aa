using PaxosLabs.Gorums;

namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The proposer of a replica, active while the replica leads. A term starts with phase 1 from
/// adu + 1; then it re-proposes what phase 1 returned, proposes the requests the replica holds,
/// and goes on with new client values, each straight to phase 2 in the next free slot, with at
/// most Alpha slots in flight. A failed phase 2 ends the term: the next one runs phase 1 again
/// with a higher round.
/// Stage 6: a slot is proposed only once its configuration is final (every slot up to α below it
/// has run here), to that configuration's replicas; a term runs the slots of one configuration, and
/// at the first slot of the next it lets every slot below run, then ends, so the next term runs
/// phase 1 in the new configuration (docs/protocol.md §6.3).
/// </summary>
public sealed class Proposer
{
    private readonly uint _id;
    private readonly Func<Epoch?, MultiPaxosConfiguration> _peersOf;
    private readonly int _roundStride;
    private MultiPaxosConfiguration _termPeers;
    private ulong _termEpoch = 1;
    private readonly ReplicaState _state;
    private readonly ClientHandler _handler;
    private readonly ReplicaOptions _options;
    private readonly SlotLimit _inFlight;
    private readonly Action<ulong, Value> _decided;
    private ulong _lastReturnedSlot;
    private readonly Dictionary<string, ulong> _proposedThisTerm = new(StringComparer.Ordinal); // client → highest ClientSeq
    private readonly PerNodeRequest<LearnMsg> _toOthers; // a commit goes to every replica but this one: it learns its decisions at once
    private long _forwardedAt = -1; // when a replica last forwarded a request here (TimeProvider timestamp); -1: never
    private uint _firstFollower; // thrifty phase 2: the follower (by position, ascending ids) the first majority starts from

    /// <summary>
    /// After a forwarded request, this long counts as "replicas wait for commits": each answers a
    /// client once it has executed the command, so the commit of the last slot in flight goes out at
    /// once rather than lingering.
    /// </summary>
    private static readonly TimeSpan ReplicasWaitAfterForward = TimeSpan.FromSeconds(1);

    /// <param name="peersOf">The replicas of a configuration (stage 6; null: the replicas of a store that never changes its configuration).</param>
    /// <param name="roundStride">Rounds of this proposer are id, id + stride, id + 2·stride, …: the same on every replica, above every replica id.</param>
    /// <param name="decided">Called when a slot this proposer proposed is decided.</param>
    public Proposer(uint id, Func<Epoch?, MultiPaxosConfiguration> peersOf, int roundStride, ReplicaState state, ClientHandler handler, ReplicaOptions options, Action<ulong, Value> decided)
    {
        ArgumentNullException.ThrowIfNull(peersOf);
        _decided = decided;
        _id = id;
        _peersOf = peersOf;
        _roundStride = roundStride;
        _termPeers = peersOf(null);
        _state = state;
        _handler = handler;
        _options = options;
        _inFlight = new SlotLimit(options.Alpha);
        _toOthers = (commit, node) => node == _id ? null : commit;
    }

    /// <summary>The round of the current (or last) term.</summary>
    public long Crnd { get; private set; } = Rounds.NoRound;

    /// <summary>The next slot a new value goes to.</summary>
    public ulong NextSlot { get; private set; }

    /// <summary>How many terms (phase-1 runs that succeeded) this proposer started.</summary>
    public int Terms { get; private set; }

    /// <summary>
    /// Another replica forwarded a client request here: it waits for the command's commit to answer
    /// its client. Commits that wait for a write go out now when no slot is in flight (else the last
    /// slot in flight sends them), and so do the commits of the next second.
    /// </summary>
    public void ReplicaWaits()
    {
        Volatile.Write(ref _forwardedAt, _options.TimeProvider.GetTimestamp());
        if (_inFlight.InUse == 0)
        {
            _termPeers.Configuration.Flush();
        }
    }

    /// <summary>Whether a replica forwarded a request within the last <see cref="ReplicasWaitAfterForward"/>.</summary>
    private bool ReplicasWait()
    {
        var at = Volatile.Read(ref _forwardedAt);
        return at >= 0 && _options.TimeProvider.GetElapsedTime(at) < ReplicasWaitAfterForward;
    }

    /// <summary>Proposes while <paramref name="leadership"/> lasts, starting a new term after each failed one.</summary>
    public async Task LeadAsync(CancellationToken leadership)
    {
        while (!leadership.IsCancellationRequested)
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(leadership);
            try
            {
                await RunTermAsync(term);
            }
            catch (OperationCanceledException) when (leadership.IsCancellationRequested || term.IsCancellationRequested)
            {
                // the term ended: leadership was lost, or a phase 2 failed and a new term begins
            }
        }
    }

    private async Task RunTermAsync(CancellationTokenSource term)
    {
        // BEGIN TODO(4.4): Leader change: the order of a term (the helpers do the mechanics). (1) promise = await PrepareAsync(term.Token) (it picks Crnd, sends Prepare from adu + 1, and retries after a backoff itself); then Terms++. (2) Re-propose every PValue of the promise in its own slot, no-ops included, with ProposeAsync(vote.Slot, vote.Vval, term), BEFORE anything else. (3) NextSlot = max(highest returned slot, or 0, _state.Adu) + 1. (4) For each request of _handler.Waiting() that this term has not proposed (Proposed(request) is false: ProposeAsync records every value it proposes), ProposeAsync(NextSlot++, request, term). (5) Forever: read the next value from _handler.Queue.Reader with term.Token; unless Proposed(value) or _state.IsExecuted(value), ProposeAsync(NextSlot++, value, term).
        var promise = await PrepareAsync(term.Token);
        Terms++;
        foreach (var vote in promise.Accepted)
        {
            await ProposeAsync(vote.Slot, vote.Vval, term);
        }

        NextSlot = Math.Max(promise.Accepted.Count == 0 ? 0 : promise.Accepted[^1].Slot, _state.Adu) + 1;
        foreach (var request in _handler.Waiting())
        {
            if (!Proposed(request))
            {
                await ProposeAsync(NextSlot++, request, term);
            }
        }

        while (true)
        {
            var value = await _handler.Queue.Reader.ReadAsync(term.Token);
            if (!Proposed(value) && !_state.IsExecuted(value))
            {
                await ProposeAsync(NextSlot++, value, term);
            }
        }
        // END TODO(4.4)
    }

    /// <summary>Phase 1, retried with a higher round (after a random backoff) until it succeeds or the term ends.</summary>
    private async Task<PromiseMsg> PrepareAsync(CancellationToken term)
    {
        while (true)
        {
            Crnd = Rounds.Above(Math.Max(Crnd, _state.AcceptorRnd), _id, _roundStride);
            var fromSlot = _state.Adu + 1;
            var epoch = _state.ConfigurationOf(fromSlot);
            if (epoch is not null && !epoch.Members.Nodes.ContainsKey(_id))
            {
                // Stage 6: not a replica of these slots: this one does not lead them (the replica
                // takes the leadership away as soon as it sees the configuration).
                await _state.WhenExecutedAsync(ulong.MaxValue, term);
            }

            _termPeers = _peersOf(epoch);
            _termEpoch = epoch?.FromSlot ?? 1;
            try
            {
                var promise = await _termPeers.PrepareAsync(new PrepareMsg { FromSlot = fromSlot, Crnd = Crnd }, term);
                _lastReturnedSlot = Math.Max(fromSlot - 1, promise.Accepted.Select(v => v.Slot).DefaultIfEmpty(0ul).Max());
                _proposedThisTerm.Clear();
                return promise;
            }
            catch (QuorumCallException e) when (e.Cause != QuorumCallError.Cancelled)
            {
                var backoff = TimeSpan.FromTicks((long)(_options.Random.NextDouble() * _options.MaxBackoff.Ticks));
                await Task.Delay(backoff, _options.TimeProvider, term);
            }
        }
    }

    /// <summary>
    /// Starts phase 2 for a slot once fewer than Alpha slots are in flight. A fresh slot (above
    /// every slot phase 1 returned, so no value can have been chosen there) also carries the
    /// client values that queued meanwhile, up to MaxBatch; a returned slot gets exactly its vote.
    /// </summary>
    private async Task ProposeAsync(ulong slot, Value value, CancellationTokenSource term)
    {
        if (_state.LatestConfiguration is not null)
        {
            await InWindowAsync(slot, term); // stage 6: a store that may change its configuration
        }

        await _inFlight.WaitAsync(term.Token);
        foreach (var one in value.Batch.Count == 0 ? [value] : value.Batch)
        {
            NoteProposed(one);
        }

        if (slot > _lastReturnedSlot && _options.MaxBatch > 1 && !value.IsNoop && value.Batch.Count == 0)
        {
            value = WithQueuedValues(value);
        }

        _ = AcceptAndCommitAsync(new AcceptMsg { Slot = slot, Rnd = Crnd, Val = value }, term);
    }

    /// <summary>
    /// Stage 6: waits until the configuration of <paramref name="slot"/> is final (every slot up to
    /// slot − α has run here). At the first slot of a configuration this term did not run phase 1
    /// in, waits until every slot below it has run, then ends the term (OperationCanceledException).
    /// </summary>
    private async Task InWindowAsync(ulong slot, CancellationTokenSource term)
    {
        // BEGIN TODO(6.2): The alpha-window. (1) When slot > Alpha, await _state.WhenExecutedAsync(slot - Alpha, term.Token): only then is the slot's configuration final. (2) epoch = _state.ConfigurationOf(slot). If epoch.FromSlot differs from _termEpoch (the configuration this term ran phase 1 in), the slot starts a new configuration: await _state.WhenExecutedAsync(epoch.FromSlot - 1, term.Token) (every slot of the old configuration runs first), then end the term: CancelQuietly(term) and throw (term.Token.ThrowIfCancellationRequested()). The next term runs phase 1 in the new configuration.
        var alpha = (ulong)_options.Alpha;
        if (slot > alpha)
        {
            await _state.WhenExecutedAsync(slot - alpha, term.Token);
        }

        if (_state.ConfigurationOf(slot) is { } epoch && epoch.FromSlot != _termEpoch)
        {
            await _state.WhenExecutedAsync(epoch.FromSlot - 1, term.Token);
            CancelQuietly(term);
            term.Token.ThrowIfCancellationRequested();
        }
        // END TODO(6.2)
    }

    /// <summary>
    /// Whether this term has proposed this request (or a later one of its client) already: the one
    /// record of what the term proposed, kept by <see cref="ProposeAsync"/> and cleared by a new phase 1.
    /// </summary>
    private bool Proposed(Value value) => _proposedThisTerm.TryGetValue(value.ClientId, out var seq) && seq >= value.ClientSeq;

    private void NoteProposed(Value value)
    {
        if (!value.IsNoop && !Proposed(value))
        {
            _proposedThisTerm[value.ClientId] = value.ClientSeq;
        }
    }

    /// <summary>
    /// <paramref name="first"/> alone, or a batch of it and the queued values, in queue order. Queued
    /// values that have run or that this term has proposed (a forwarded copy, say) are dropped.
    /// </summary>
    private Value WithQueuedValues(Value first)
    {
        Value? batch = null;
        // A no-op in the queue (stage 6: a pad towards a new configuration) keeps its own slot.
        while ((batch?.Batch.Count ?? 1) < _options.MaxBatch && _handler.Queue.Reader.TryPeek(out var peeked) && !peeked.IsNoop && _handler.Queue.Reader.TryRead(out var next))
        {
            if (!_state.IsExecuted(next) && !Proposed(next))
            {
                NoteProposed(next);
                batch ??= new Value { Batch = { first } };
                batch.Batch.Add(next);
            }
        }

        return batch ?? first;
    }

    /// <remarks>
    /// The commit does not start a write of its own: it leaves with the next message to each replica,
    /// the next accept or the commit of another slot in flight. The last slot in flight writes the
    /// commits that wait when other replicas wait for them (a request was forwarded here lately: they
    /// answer clients too), or when the term ends; else they linger until the next accept, at most
    /// the transport's linger time, as Raft's commit index rides on the next append.
    /// </remarks>
    private async Task AcceptAndCommitAsync(AcceptMsg accept, CancellationTokenSource term)
    {
        var peers = _termPeers;
        try
        {
            var learn = await AcceptAsync(peers, accept, term.Token);
            _decided(learn.Slot, learn.Val); // the leader learns its own decisions at once, whatever the network does, so its commit skips itself
            Task commit;
            using (DeferredSends.Open())
            {
                commit = OneWay.MulticastAsync(peers.Configuration, MultiPaxosMethods.Commit, learn, _toOthers);
            }

            await commit;
        }
        catch (QuorumCallException)
        {
            // A higher round exists or a quorum is out of reach: end the term; the next one
            // runs phase 1 again and re-proposes every undecided slot.
            CancelQuietly(term);
        }
        finally
        {
            var inFlight = _inFlight.Release();
            if (term.IsCancellationRequested || (inFlight == 0 && ReplicasWait()))
            {
                peers.Configuration.Flush();
            }
        }
    }

    /// <summary>
    /// Phase 2 of one slot, thrifty (protocol §4.4): the accept goes to a majority, this replica and
    /// the followers after <see cref="_firstFollower"/>, which decides the slot when they answer; the
    /// other replicas learn it from the commit. When that majority has not decided within
    /// <see cref="ReplicaOptions.AcceptOthersAfter"/>, or failed or refused, the accept goes to every
    /// replica, those asked already too (they vote again, for the same value), so that a follower
    /// that is only slow still counts. Later slots then start from the next follower, so that a
    /// follower cut off costs one wait rather than one per slot.
    /// </summary>
    private async Task<LearnMsg> AcceptAsync(MultiPaxosConfiguration peers, AcceptMsg accept, CancellationToken term)
    {
        var nodes = peers.Configuration;
        if (_options.AcceptOthersAfter is { } wait && nodes.Count >= 3 && nodes.Contains(_id))
        {
            var first = _firstFollower;
            try
            {
                return await QuorumCall.InvokeAsync(nodes, MultiPaxosMethods.Accept, accept, peers.QSpec.AcceptQF, (request, node) => InFirstMajority(nodes, first, node) ? request : null, wait, term);
            }
            catch (QuorumCallException e) when (e.Cause != QuorumCallError.Cancelled)
            {
                _firstFollower = first + 1;
            }
        }

        return await peers.AcceptAsync(accept, term);
    }

    /// <summary>Whether <paramref name="node"/> is this replica or one of the n / 2 followers from position <paramref name="first"/> on (ascending ids, wrapping round).</summary>
    private bool InFirstMajority(Configuration nodes, uint first, uint node)
    {
        if (node == _id)
        {
            return true;
        }

        var followers = nodes.Count - 1;
        var position = 0;
        for (var i = 0; i < nodes.Count && nodes[i].Id != node; i++)
        {
            position += nodes[i].Id == _id ? 0 : 1;
        }

        return (position - (int)(first % (uint)followers) + followers) % followers < nodes.Count / 2;
    }

    private static void CancelQuietly(CancellationTokenSource term)
    {
        try
        {
            term.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the term is over already
        }
    }
}
