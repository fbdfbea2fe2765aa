using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// The kit's key-value client in leader-direct mode (protocol §4.5), against three stand-in
/// replicas that answer every request at once and name a leader: which replicas each try reaches.
/// The client is framework code, given to you complete; of your tasks, these tests use only
/// ClientHandleQF (task 4.3), for the tries that go to every replica.
/// </summary>
[Trait("Stage", "4")]
[Trait("Task", "4.3")]
public sealed class KvClientTests : IAsyncDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly Dictionary<uint, string> _nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2" };
    private readonly Dictionary<uint, StandIn> _replicas = [];
    private readonly Manager _manager;
    private readonly List<string> _arrivals = []; // "r1:2": replica r1 got ClientSeq 2, in arrival order

    public KvClientTests()
    {
        foreach (var (id, address) in _nodes)
        {
            _replicas[id] = new StandIn(seq => Arrived($"{address}:{seq}"));
            _network.Listen(address, new GorumsServer().Register(_replicas[id]));
        }

        _manager = new Manager(_network, new ManagerOptions { ClientName = "client" });
    }

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    /// <param name="leaderTimeout">How long a leader-direct try waits for the believed leader (200 ms by default: short, for the tests where it is silent).</param>
    private KvClient Client(KvClientMode mode, TimeSpan? leaderTimeout = null) => new("alice", new MultiPaxosConfiguration(_manager.NewConfiguration(_nodes), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(10) },
        new KvClientOptions { Mode = mode, LeaderTimeout = leaderTimeout ?? TimeSpan.FromMilliseconds(200), RetryDelay = TimeSpan.FromMilliseconds(1) });

    private void Arrived(string arrival)
    {
        lock (_arrivals)
        {
            _arrivals.Add(arrival);
        }
    }

    private List<string> Arrivals()
    {
        lock (_arrivals)
        {
            return [.. _arrivals];
        }
    }

    private string Seen() => string.Join(" ", _replicas.Select(r => $"r{r.Key}:[{r.Value.Seqs}]"));

    [Fact]
    public async Task The_first_request_goes_to_every_replica_and_the_next_ones_to_the_leader_they_name()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Leader = 2;
        }

        // The leader answers at once; a generous timeout keeps a busy machine from sending a request to every replica.
        var kv = Client(KvClientMode.LeaderDirect, leaderTimeout: TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            await Eventually.WithinAsync(kv.PutAsync("k", "v"), $"put {i + 1}");
        }

        Assert.True(kv.BelievedLeader == 2, $"the replicas named r2 as the leader, but the client believes in {kv.BelievedLeader?.ToString() ?? "none"}");
        // Request 1 to every replica (the quorum call may finish before a third copy arrives), 2 and 3 to r2 alone.
        Assert.True(_replicas[2].Seqs == "1,2,3" && _replicas[0].Seqs is "" or "1" && _replicas[1].Seqs is "" or "1",
            $"request 1 should reach every replica and requests 2 and 3 only the leader r2; each replica saw ClientSeqs {Seen()}");
    }

    [Fact]
    public async Task In_the_default_mode_every_request_goes_to_every_replica()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Leader = 2;
        }

        var kv = Client(KvClientMode.AllReplicas);
        await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 1");
        await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 2");

        await Eventually.WaitAsync(() => _replicas.Values.All(r => r.Seqs == "1,2"), $"each replica to see requests 1 and 2 (they saw {Seen()})");
        Assert.Null(kv.BelievedLeader);
    }

    [Fact]
    public async Task A_silent_leader_costs_one_timeout_then_the_same_request_goes_to_every_replica()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Leader = 1;
        }

        var kv = Client(KvClientMode.LeaderDirect);
        await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 1");
        _replicas[1].Silent = true;
        foreach (var replica in _replicas.Values)
        {
            replica.Leader = 0;
        }

        Assert.Equal("v", await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 2, while the leader r1 is silent"));

        // Request 2 went to r1 alone, got no answer in time, then went to every replica with the same
        // ClientSeq (so it runs once); that second copy may or may not reach r1 before r0 and r2 answer.
        var arrivals = Arrivals();
        Assert.True(arrivals.First(a => a.EndsWith(":2", StringComparison.Ordinal)) == "r1:2", $"request 2 should reach the silent leader r1 first, alone; the requests arrived as {string.Join(" ", arrivals)}");
        Assert.True(_replicas[0].Seqs.EndsWith('2') && _replicas[2].Seqs.EndsWith('2'),
            $"after r1's silence, request 2 should go to every replica with the same ClientSeq; each replica saw ClientSeqs {Seen()}");
        Assert.True(kv.BelievedLeader == 0, $"the answers named r0 as the new leader, but the client believes in {kv.BelievedLeader?.ToString() ?? "none"}");
    }

    [Fact]
    public async Task An_error_from_the_believed_leader_sends_the_retry_to_every_replica_not_to_its_hint()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Leader = 1;
        }

        var kv = Client(KvClientMode.LeaderDirect);
        await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 1");
        _replicas[1].Failing = true; // a leader cut off from the majority: its requests time out, and it still names itself

        await Eventually.WithinAsync(kv.PutAsync("k", "v"), "put 2, while the leader r1 answers with errors");

        Assert.True(_replicas[0].Seqs.EndsWith('2') && _replicas[2].Seqs.EndsWith('2'),
            $"after r1's error, request 2 should go to every replica; each replica saw ClientSeqs {Seen()}");
    }

    /// <summary>A replica that answers every request at once with its value, naming <see cref="Leader"/>.</summary>
    private sealed class StandIn(Action<ulong> arrived) : MultiPaxosServerBase
    {
        private readonly Lock _gate = new();
        private readonly List<ulong> _seqs = [];

        public uint Leader { get; set; }

        /// <summary>Never answers (a crashed or partitioned leader).</summary>
        public bool Silent { get; set; }

        /// <summary>Answers with an error, as a replica does whose request passed its deadline.</summary>
        public bool Failing { get; set; }

        /// <summary>The ClientSeqs of the requests it got, in order: "1,2,2".</summary>
        public string Seqs
        {
            get
            {
                lock (_gate)
                {
                    return string.Join(",", _seqs);
                }
            }
        }

        public override async Task<Response> ClientHandle(Value request, ServerContext context)
        {
            lock (_gate)
            {
                _seqs.Add(request.ClientSeq);
            }

            arrived(request.ClientSeq);

            if (Silent)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            var response = new Response { ClientId = request.ClientId, ClientSeq = request.ClientSeq, Leader = Leader };
            if (Failing)
            {
                response.Error = "the request was not executed before its deadline";
            }
            else
            {
                response.Result = request.Command.Value;
            }

            return response;
        }

        public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context) => throw new InvalidOperationException("a client never prepares");

        public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context) => throw new InvalidOperationException("a client never accepts");

        public override Task Commit(LearnMsg request, ServerContext context) => throw new InvalidOperationException("a client never commits");

        public override Task<CatchupReply> Catchup(CatchupRequest request, ServerContext context) => throw new InvalidOperationException("a client never catches up");

        public override Task Forward(Value request, ServerContext context) => throw new InvalidOperationException("a client never forwards");
    }
}
