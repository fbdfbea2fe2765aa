using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.SinglePaxos;

/// <summary>
/// One Paxos process: an acceptor and learner that serves the Paxos service (register
/// <see cref="Service"/> with a <c>GorumsServer</c>), and a proposer that calls every node of the
/// configuration, itself included. <see cref="Decided"/> is set by the first Commit and never
/// changes afterwards. Works on any transport: <c>InMemoryNetwork</c> (tests, the simulator) or
/// <c>GrpcTransport</c>.
/// </summary>
public sealed partial class PaxosNode : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Acceptor _acceptor = new();
    private readonly TaskCompletionSource<string> _decision = new();
    private readonly Manager _manager;
    private readonly ILogger _logger;
    private PromiseMsg? _lastPromise;
    private string? _decided;

    /// <param name="id">This node's id; it must be a key of <paramref name="nodes"/>.</param>
    /// <param name="nodes">Every node of the configuration, id → address, this one included.</param>
    /// <param name="transport">How to reach the other nodes.</param>
    public PaxosNode(uint id, IReadOnlyDictionary<uint, string> nodes, ITransport transport, PaxosNodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new PaxosNodeOptions();
        if (!nodes.TryGetValue(id, out var self))
        {
            throw new ArgumentException($"Node {id} is not in its own configuration ({string.Join(", ", nodes.Keys.Order())}).", nameof(nodes));
        }

        var proposerOptions = options.ProposerOptions();
        proposerOptions.Validate(); // before the manager exists, so bad options leak no connections
        Id = id;
        _logger = options.LoggerFactory.CreateLogger<PaxosNode>();
        _manager = new Manager(transport, new ManagerOptions
        {
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
            ClientName = options.ClientName ?? self,
            DefaultCallTimeout = options.CallTimeout,
        });
        Configuration = _manager.NewConfiguration(nodes.OrderBy(n => n.Key));
        Proposer = new Proposer(
            id,
            Configuration,
            new PaxosQSpec(Configuration.Count),
            options.TimeProvider,
            options.Random ?? new Random(unchecked((int)id)),
            proposerOptions,
            options.LoggerFactory.CreateLogger<Proposer>());
        Service = new PaxosService(this);
    }

    public uint Id { get; }

    /// <summary>Every node, this one included: Prepare, Accept and Commit go to all of them.</summary>
    public Configuration Configuration { get; }

    /// <summary>The acceptor and learner side; register it with the <c>GorumsServer</c> at this node's address.</summary>
    public IGorumsService Service { get; }

    public Proposer Proposer { get; }

    /// <summary>The decided value: null until a Commit arrives (or this node's proposal succeeds); never changes afterwards.</summary>
    public string? Decided
    {
        get
        {
            lock (_gate)
            {
                return _decided;
            }
        }
    }

    /// <summary>Completes with the decided value once there is one.</summary>
    public Task<string> Decision => _decision.Task;

    /// <summary>The acceptor's state: promised round, and the round and value of its last vote.</summary>
    public (long Rnd, long Vrnd, string Vval) AcceptorState
    {
        get
        {
            lock (_gate)
            {
                return (_acceptor.Rnd, _acceptor.Vrnd, _acceptor.Vval);
            }
        }
    }

    /// <summary>
    /// Proposes <paramref name="value"/> with this node's proposer and returns the chosen value;
    /// a node that has decided already returns its decision. A node that missed the Commit
    /// learns the decision this way: phase 1 reports the chosen value, which is proposed again.
    /// </summary>
    public async Task<string> ProposeAsync(string value, CancellationToken cancellationToken = default)
    {
        if (Decided is { } decided)
        {
            return decided;
        }

        var chosen = await Proposer.ProposeAsync(value, cancellationToken);
        Decide(chosen, "its own proposal");
        return chosen;
    }

    /// <summary>One line for traces: the acceptor's state and the decision.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return $"node {Id}: {_acceptor}; decided={(_decided is null ? "none" : $"\"{_decided}\"")}";
        }
    }

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    private PromiseMsg Prepare(PrepareMsg request)
    {
        lock (_gate)
        {
            // The simulated network may deliver a request twice. Answering the copy of a prepare
            // the acceptor already promised with a NACK would be dangerous: that NACK, Rnd = Crnd
            // with no value, looks exactly like a promise without a vote, and if it overtook the
            // real promise the proposer would miss the acceptor's vote. So a repeat of the last
            // promised round (and nothing higher seen since) gets the same promise again: the
            // proposer sees what it would see had the network duplicated the reply instead.
            if (_lastPromise is { } last && last.Rnd == request.Crnd && _acceptor.Rnd == request.Crnd)
            {
                return last.Clone();
            }

            var before = _acceptor.Rnd;
            var promise = _acceptor.Prepare(request);
            if (request.Crnd > before && promise.Rnd == request.Crnd)
            {
                _lastPromise = promise.Clone();
            }

            return promise;
        }
    }

    private LearnMsg Accept(AcceptMsg request)
    {
        lock (_gate)
        {
            return _acceptor.Accept(request);
        }
    }

    private void Decide(string value, string source)
    {
        lock (_gate)
        {
            if (_decided is not null)
            {
                if (_decided != value)
                {
                    Log.ConflictingDecision(_logger, Id, _decided, value, source);
                }

                return;
            }

            _decided = value;
        }

        Log.Decided(_logger, Id, value, source);
        _decision.TrySetResult(value); // outside the lock: continuations run inline
    }

    /// <summary>The server side: handlers call the acceptor under the node's lock; Commit decides.</summary>
    private sealed class PaxosService(PaxosNode node) : PaxosServerBase
    {
        public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context) =>
            Task.FromResult(node.Prepare(request));

        public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context) =>
            Task.FromResult(node.Accept(request));

        public override Task Commit(LearnMsg request, ServerContext context)
        {
            node.Decide(request.Val, $"a Commit from {context.Peer} (round {request.Rnd})");
            return Task.CompletedTask;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Node {Id} decided \"{Value}\" ({Source})")]
        public static partial void Decided(ILogger logger, uint id, string value, string source);

        [LoggerMessage(Level = LogLevel.Error, Message = "Node {Id} decided \"{Decided}\" but {Source} says \"{Other}\": two values chosen, Paxos safety is broken")]
        public static partial void ConflictingDecision(ILogger logger, uint id, string decided, string other, string source);
    }
}
