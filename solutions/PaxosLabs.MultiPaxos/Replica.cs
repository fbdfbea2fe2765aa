using System.Threading.Channels;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.MultiPaxos;

/// <summary>
/// One replica of the key-value store: acceptor, learner, proposer and client handler. Leader
/// changes arrive from the leader detector's subscription; a lock (in <see cref="ReplicaState"/>)
/// guards shared state, channels carry events.
/// </summary>
public sealed class Replica : MultiPaxosServerBase, IAsyncDisposable
{
    /// <summary>No leader is trusted.</summary>
    public const long NoLeader = -1;

    private readonly Manager _manager;
    private readonly ReplicaOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _leadGate = new();
    private readonly Dictionary<ulong, MultiPaxosConfiguration> _epochPeers = []; // by first slot; under _leadGate
    private CancellationTokenSource? _leading;
    private long _leader = NoLeader;
    private long _detected = NoLeader; // what the leader detector said last; under _leadGate
    private ulong _epoch = 1; // the first slot of the configuration of adu + 1 when the leader was last chosen
    private long _snapshotHolder = -1; // stage 5: an acceptor that refused our prepare for its snapshot

    /// <param name="nodes">Every replica's id and address, this one's included (stage 6: spares too, see <see cref="ReplicaOptions.Members"/>).</param>
    /// <param name="clientName">This replica's name as a client of the others (its address, usually).</param>
    public Replica(uint id, IReadOnlyDictionary<uint, string> nodes, ITransport transport, string clientName, ReplicaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (!nodes.ContainsKey(id))
        {
            throw new ArgumentException($"Replica {id} is not among the nodes ({string.Join(", ", nodes.Keys.Order())}).", nameof(nodes));
        }

        _options = options ?? new ReplicaOptions();
        _options.Validate();
        Id = id;
        _manager = new Manager(transport, new ManagerOptions { TimeProvider = _options.TimeProvider, ClientName = clientName, LoggerFactory = _options.LoggerFactory });
        var members = _options.Members ?? [.. nodes.Keys];
        if (members.Count == 0 || !members.All(nodes.ContainsKey))
        {
            throw new ArgumentException($"The initial members ({string.Join(", ", members.Order())}) must be some of the nodes ({string.Join(", ", nodes.Keys.Order())}).", nameof(options));
        }

        var initial = new Membership();
        initial.Nodes.Add(members.ToDictionary(m => m, m => nodes[m]));
        var configurations = _options.Reconfigurable ? new Configurations(initial, _options.Alpha) : null;
        State = _options.Journal is { } journal ? new ReplicaState(journal, _options.SnapshotEvery, configurations) : new ReplicaState(configurations);
        Peers = new MultiPaxosConfiguration(_manager.NewConfiguration(nodes), new PeersQSpec(new PaxosQSpec(nodes.Count), this)) { Timeout = _options.CallTimeout };
        Handler = new ClientHandler(_options.Alpha, _options.TimeProvider, _options.RequestTimeout, State.Answered);
        // Rounds step by more than every id, spares' included, and the same on every replica (each is given the same nodes).
        var roundStride = Math.Max(nodes.Count, (int)nodes.Keys.Max() + 1);
        Proposer = new Proposer(id, PeersOf, roundStride, State, Handler, _options, Learn);
    }

    /// <summary>
    /// Stage 6: which replica leads, among the members of a configuration (the highest id this
    /// replica's failure detector does not suspect, say; <see cref="ReplicaProcess"/> sets it). Null:
    /// the leader detector's choice, as in stage 4.
    /// </summary>
    public Func<IReadOnlyCollection<uint>, long>? LeaderAmong { get; init; }

    public uint Id { get; }

    /// <summary>
    /// The leader this replica trusts, or <see cref="NoLeader"/>. It changes on the leader detector's
    /// thread at any moment: read it once per decision (<see cref="OtherLeader"/>), never check it and
    /// then read it again.
    /// </summary>
    public long Leader => Volatile.Read(ref _leader);

    public bool IsLeader => Leader == Id;

    public ReplicaState State { get; }

    public ClientHandler Handler { get; }

    public Proposer Proposer { get; }

    public MultiPaxosConfiguration Peers { get; }

    /// <summary>Follows the leader detector: publications arrive on <paramref name="leaderChanges"/>.</summary>
    public async Task FollowAsync(ChannelReader<long> leaderChanges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaderChanges);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            // Not ReadAllAsync: it continues on the thread pool, outside the simulator.
            while (await leaderChanges.WaitToReadAsync(both.Token))
            {
                while (leaderChanges.TryRead(out var leader))
                {
                    OnLeaderChange(leader);
                }
            }
        }
        catch (OperationCanceledException) when (both.IsCancellationRequested)
        {
            // stopped
        }
    }

    /// <summary>
    /// Catches up with the leader's decisions while requests or decisions wait here: every
    /// <see cref="ReplicaOptions.CatchUpInterval"/>, it asks the leader for the decisions from
    /// adu + 1 on. Runs until stopped.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            while (true)
            {
                await Task.Delay(_options.CatchUpInterval, _options.TimeProvider, both.Token);
                FollowConfiguration();
                PadToNewConfiguration();
                if (Interlocked.Exchange(ref _snapshotHolder, -1) is var holder and >= 0)
                {
                    // Our prepare started inside that acceptor's snapshot: fetch it, so the next one starts after it.
                    await CatchUpOnceAsync((uint)holder, both.Token);
                }
                else if (OtherLeader() is { } leader && (Handler.WaitingCount > 0 || State.Buffered > 0 || !IsMember()))
                {
                    await CatchUpOnceAsync(leader, both.Token);
                }
            }
        }
        catch (OperationCanceledException) when (both.IsCancellationRequested)
        {
            // stopped
        }
    }

    /// <summary>
    /// Takes the leader detector's view and acts on it: lead, stop leading, hand held requests to
    /// the new leader. Stage 6: the leader is chosen among the replicas of the configuration of
    /// adu + 1 (<see cref="LeaderAmong"/>); a replica outside it never leads.
    /// </summary>
    public void OnLeaderChange(long detected)
    {
        lock (_leadGate)
        {
            _detected = detected;
            var epoch = State.ConfigurationOf(State.Adu + 1);
            _epoch = epoch?.FromSlot ?? 1;
            Follow(epoch is null ? detected : LeaderIn(epoch, detected));
        }
    }

    /// <summary>Stage 6: the leader this replica follows among the replicas of a configuration.</summary>
    private long LeaderIn(Epoch epoch, long detected)
    {
        // BEGIN TODO(6.3): The leader among the replicas of the configuration: LeaderAmong(its member ids) when LeaderAmong is set (the highest member the failure detector does not suspect), else the detected leader. A leader that is not a member of the configuration is no leader: return NoLeader (a removed replica stops leading; a spare never leads before it joins).
        var members = epoch.Members.Nodes;
        var leader = LeaderAmong is { } among ? among([.. members.Keys]) : detected;
        return leader != NoLeader && members.ContainsKey((uint)leader) ? leader : NoLeader;
        // END TODO(6.3)
    }

    /// <summary>
    /// Stage 6: chooses the leader again when the configuration of adu + 1 is a new one, or when
    /// <see cref="LeaderAmong"/> names another leader among its members (a member fell silent or came
    /// back, which the leader detector does not publish when its own leader stays the same).
    /// </summary>
    private void FollowConfiguration()
    {
        if (State.ConfigurationOf(State.Adu + 1) is not { } epoch)
        {
            return;
        }

        long detected;
        lock (_leadGate)
        {
            detected = _detected;
        }

        if (epoch.FromSlot != Volatile.Read(ref _epoch) || LeaderIn(epoch, detected) != Leader)
        {
            OnLeaderChange(detected);
        }
    }

    /// <summary>Told of the leader each time this replica follows another one (for <see cref="ReplicaProcess.LeaderChanged"/>); must not block.</summary>
    internal Action<long>? Followed { get; set; }

    private void Follow(long leader)
    {
        if (Volatile.Read(ref _leader) != leader)
        {
            Followed?.Invoke(leader);
        }

        Volatile.Write(ref _leader, leader);
        if (leader == Id && _leading is null)
        {
            _leading = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            _ = Proposer.LeadAsync(_leading.Token);
        }
        else if (leader != Id && _leading is not null)
        {
            _leading.Cancel();
            _leading.Dispose();
            _leading = null;
        }

        if (leader != Id && leader != NoLeader)
        {
            foreach (var request in Handler.Waiting())
            {
                _ = Peers.ForwardAsync((uint)leader, request);
            }
        }
    }

    /// <remarks>Stage 6: a replica that has not caught up to a configuration it belongs to does not count yet: it refuses (protocol §6.5).</remarks>
    public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context) =>
        Task.FromResult(IsMember() ? State.Prepare(request) : new PromiseMsg { Rnd = Rounds.NoRound });

    public override async Task<LearnMsg> Accept(AcceptMsg request, ServerContext context)
    {
        if (!IsMember())
        {
            return new LearnMsg { Slot = request.Slot, Rnd = Rounds.NoRound }; // stage 6: not caught up yet, see Prepare
        }

        // The vote is taken in arrival order; on stable storage, the next accepts may then be taken
        // while this one waits for its flush, and share it (group commit).
        var pending = State.AcceptUndurable(request);
        if (State.IsDurable)
        {
            context.Release();
            await Task.Yield();
        }

        return OnTheWire(request, State.Durable(pending));
    }

    /// <summary>
    /// A learn that confirms the accept (its slot, round and value) leaves its value off the wire:
    /// the leader sent that value and puts it back before the AcceptQF sees the learn
    /// (<see cref="PeersQSpec"/>; protocol §4.4). Any other learn travels whole.
    /// </summary>
    private static LearnMsg OnTheWire(AcceptMsg accept, LearnMsg learn) =>
        learn.Slot == accept.Slot && learn.Rnd == accept.Rnd && learn.Val is not null && learn.Val.Equals(accept.Val)
            ? new LearnMsg { Slot = learn.Slot, Rnd = learn.Rnd }
            : learn;

    public override Task Commit(LearnMsg request, ServerContext context)
    {
        Learn(request.Slot, request.Val);
        return Task.CompletedTask;
    }

    public override Task<CatchupReply> Catchup(CatchupRequest request, ServerContext context) => Task.FromResult(State.DecidedFrom(request.FromSlot));

    public override async Task<Response> ClientHandle(Value request, ServerContext context)
    {
        // Waiting for execution must not hold up this sender's next messages.
        context.Release();
        if (request.Reconfigure is { } members && Refusal(members) is { } refusal)
        {
            return new Response { ClientId = request.ClientId, ClientSeq = request.ClientSeq, Error = refusal };
        }

        var leader = Leader;
        if (leader != Id && leader != NoLeader && !State.IsExecuted(request))
        {
            _ = Peers.ForwardAsync((uint)leader, request);
        }

        // The handler registers the request before it consults the session table, so the command
        // answers it whenever it runs: before (from the table) or after (through Complete). Checking
        // the table first and registering after would lose a wake-up when it ran in between.
        var response = await Handler.HandleAsync(request, enqueue: leader == Id, context.CancellationToken);
        return WithLeaderHint(response);
    }

    /// <summary>Stage 6: why a reconfiguration to <paramref name="members"/> is refused, or null.</summary>
    private string? Refusal(Membership members)
    {
        if (State.LatestConfiguration is null)
        {
            return "this store does not change its configuration (its replicas run without ReplicaOptions.Reconfigurable)";
        }

        var unknown = members.Nodes.Keys.Where(id => !Peers.Configuration.Contains(id)).Order().ToList();
        var moved = members.Nodes.Where(m => !unknown.Contains(m.Key) && m.Value != Peers.Configuration.GetNode(m.Key).Address).Select(m => m.Key).Order().ToList();
        return members.Nodes.Count == 0 ? "a configuration needs at least one replica"
            : unknown.Count > 0 ? $"replica(s) {string.Join(", ", unknown)} are not among the nodes the replicas were given ({string.Join(", ", Peers.Configuration.NodeIds.Order())})"
            : moved.Count > 0 ? $"replica(s) {string.Join(", ", moved)} are named with another address than the replicas were given ({string.Join(", ", moved.Select(id => $"{id}={Peers.Configuration.GetNode(id).Address}"))})"
            : null;
    }

    /// <summary>
    /// The response, naming the leader this replica trusts now, for a leader-direct client's next
    /// request (a copy: the session table keeps the response it caches as it is).
    /// </summary>
    private Response WithLeaderHint(Response response)
    {
        var leader = Leader;
        var latest = State.LatestConfiguration;
        var changed = latest is not null && latest.FromSlot > 1;
        if (leader == NoLeader && !changed)
        {
            return response;
        }

        var hinted = response.Clone();
        if (leader != NoLeader)
        {
            hinted.Leader = (uint)leader;
        }

        if (changed)
        {
            hinted.Configuration = latest; // stage 6: a client follows the replicas of the store
        }

        return hinted;
    }

    public override async Task Forward(Value request, ServerContext context)
    {
        context.Release();
        if (!IsLeader)
        {
            return;
        }

        Proposer.ReplicaWaits(); // the sender answers its client once the commit reaches it
        if (!State.IsExecuted(request))
        {
            await Handler.Queue.Writer.WriteAsync(request, context.CancellationToken);
        }
    }

    /// <summary>A slot is decided: run what became runnable and answer the requests waiting for it.</summary>
    internal void Learn(ulong slot, Value value)
    {
        using (ReplyBatch.Open())
        {
            Answer(State.Decide(slot, value)); // the responses to one client stream leave in one write
        }

        FollowConfiguration();
    }

    /// <summary>Stage 6: the replicas of a configuration (null: all the nodes, for a store whose configuration never changes).</summary>
    private MultiPaxosConfiguration PeersOf(Epoch? epoch)
    {
        if (epoch is null || (epoch.Members.Nodes.Count == Peers.Configuration.Count && epoch.Members.Nodes.Keys.All(Peers.Configuration.Contains)))
        {
            return Peers;
        }

        lock (_leadGate)
        {
            if (!_epochPeers.TryGetValue(epoch.FromSlot, out var peers))
            {
                // Replicas shared with other configurations keep their one stream (the manager reuses nodes).
                var nodes = epoch.Members.Nodes.Keys.Order().Select(id => KeyValuePair.Create(id, Peers.Configuration.GetNode(id).Address));
                peers = new MultiPaxosConfiguration(_manager.NewConfiguration(nodes), new PeersQSpec(new PaxosQSpec(epoch.Members.Nodes.Count), this)) { Timeout = _options.CallTimeout };
                _epochPeers[epoch.FromSlot] = peers;
            }

            return peers;
        }
    }

    /// <summary>Answers the requests waiting for the commands that ran.</summary>
    private void Answer(IReadOnlyList<Execution> executed)
    {
        foreach (var execution in executed)
        {
            if (execution.Response is not { } response)
            {
                continue;
            }

            if (response.Batch.Count == 0)
            {
                Handler.Complete(response);
            }

            foreach (var one in response.Batch)
            {
                Handler.Complete(one);
            }
        }
    }

    /// <summary>
    /// The quorum functions as given, seen through what the replicas put on the wire. A learn that
    /// confirms its accept comes without its value (<see cref="OnTheWire"/>): the value sent is put
    /// back before the AcceptQF judges the learn. Stage 5: phase 1 is watched for an acceptor that
    /// refused the prepare because its log there is compacted (<see cref="PromiseMsg.SnapshotSlot"/>
    /// above our adu): the catch-up loop then fetches its snapshot.
    /// </summary>
    private sealed class PeersQSpec(IMultiPaxosQSpec inner, Replica replica) : IMultiPaxosQSpec
    {
        public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies)
        {
            foreach (var (id, reply) in replies)
            {
                if (reply.SnapshotSlot >= request.FromSlot && id != replica.Id)
                {
                    Interlocked.Exchange(ref replica._snapshotHolder, id);
                }
            }

            return inner.PrepareQF(request, replies);
        }

        public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies)
        {
            foreach (var learn in replies.Values)
            {
                if (learn.Val is null && learn.Slot == request.Slot && learn.Rnd == request.Rnd)
                {
                    learn.Val = request.Val; // a vote for this slot in this round is a vote for the value sent
                }
            }

            return inner.AcceptQF(request, replies);
        }

        public (Response? Result, bool Done) ClientHandleQF(Value request, IReadOnlyDictionary<uint, Response> replies) => inner.ClientHandleQF(request, replies);

        public (CatchupReply? Result, bool Done) CatchupQF(CatchupRequest request, IReadOnlyDictionary<uint, CatchupReply> replies) => inner.CatchupQF(request, replies);
    }

    /// <summary>
    /// Stage 6: a leader with nothing to propose fills the slots before the newest configuration
    /// with no-ops (protocol §6.3), so that a change takes effect without waiting for client load.
    /// </summary>
    private void PadToNewConfiguration()
    {
        if (!IsLeader || State.LatestConfiguration is not { FromSlot: > 1 } latest || Handler.Queue.Reader.Count > 0)
        {
            return;
        }

        for (var slot = Math.Max(Proposer.NextSlot, State.Adu + 1); slot < latest.FromSlot && Handler.Queue.Writer.TryWrite(new Value { IsNoop = true }); slot++)
        {
        }
    }

    /// <summary>
    /// Stage 6: whether this replica runs the slot after its adu. One that does not (a new replica
    /// that has not caught up to its configuration, or one removed) keeps catching up, so that it
    /// learns where its configuration starts.
    /// </summary>
    private bool IsMember()
    {
        if (State.ConfigurationOf(State.Adu + 1) is not { } epoch)
        {
            return true; // a store that never changes its configuration: every replica is a member
        }

        // BEGIN TODO(6.3): Whether this replica (Id) is one of the replicas (Members) of the configuration of the slot after its adu (epoch). A spare that has not caught up to the configuration it joins is not, yet, and neither is a removed replica.
        return epoch.Members.Nodes.ContainsKey(Id);
        // END TODO(6.3)
    }

    /// <summary>The leader, read once, when it is another replica; else null.</summary>
    private uint? OtherLeader()
    {
        var leader = Leader;
        return leader != Id && leader != NoLeader ? (uint)leader : null;
    }

    private async Task CatchUpOnceAsync(uint leaderId, CancellationToken cancellationToken)
    {
        try
        {
            var leader = Peers.Configuration.GetNode(leaderId);
            var toLeader = new MultiPaxosConfiguration(_manager.NewConfiguration([KeyValuePair.Create(leader.Id, leader.Address)]), Peers.QSpec) { Timeout = _options.CallTimeout };
            var reply = await toLeader.CatchupAsync(new CatchupRequest { FromSlot = State.Adu + 1 }, cancellationToken);
            if (reply.Snapshot is { } snapshot)
            {
                Answer(State.Install(snapshot));
                FollowConfiguration();
            }

            foreach (var learn in reply.Decided)
            {
                Learn(learn.Slot, learn.Val);
            }
        }
        catch (QuorumCallException)
        {
            // the leader did not answer; the next round tries again
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _leading?.Dispose();
        await _manager.DisposeAsync();
    }
}
