using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Grpc.Net.Client;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 3 demo: 3–5 nodes on 127.0.0.1 over gRPC, each with its failure detector and leader
/// detector. It prints every suspicion, restoration and leader change while a schedule stops the
/// leader and later restarts it at the same address. Ctrl-C stops it cleanly.
/// </summary>
internal static class DetectorsDemo
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many nodes to start (3–5).", DefaultValueFactory = _ => 3 };
        var delta = new Option<int>("--delta-ms") { Description = "The failure detector's delta in milliseconds: its first timeout and the step by which it grows (10–5000).", DefaultValueFactory = _ => 200 };
        var command = new Command("detectors-demo", "Stage 3: failure and leader detectors on 3–5 nodes; the leader is stopped and later restarted.") { nodes, delta };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(nodes), parse.GetValue(delta), token));
        return command;
    }

    private static async Task<int> RunAsync(int n, int deltaMs, CancellationToken token)
    {
        if (n is < 3 or > 5)
        {
            await Console.Error.WriteLineAsync($"error: --nodes must be between 3 and 5, not {n}");
            return 2;
        }

        if (deltaMs is < 10 or > 5000)
        {
            await Console.Error.WriteLineAsync($"error: --delta-ms must be between 10 and 5000, not {deltaMs}");
            return 2;
        }

        // Ctrl-C (or SIGTERM) ends the demo through this token, after the nodes are shut down.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(token);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        token = interrupted.Token;

        var delta = TimeSpan.FromMilliseconds(deltaMs);
        var stopAt = Max(TimeSpan.FromSeconds(3), 10 * delta);
        var restartAt = stopAt + Max(TimeSpan.FromSeconds(5), 20 * delta);
        var endAt = restartAt + Max(TimeSpan.FromSeconds(5), 20 * delta);
        await using var cluster = new DemoCluster(n, delta);
        try
        {
            await cluster.StartAsync(token);
            Console.WriteLine($"delta {deltaMs} ms; the leader stops at {stopAt.TotalSeconds:0.#} s and restarts at {restartAt.TotalSeconds:0.#} s; the demo ends at {endAt.TotalSeconds:0.#} s (Ctrl-C ends it earlier).");

            await cluster.WaitUntilAsync(stopAt, token);
            var leader = cluster.LeaderSeenByLowest();
            cluster.Print($"-- stopping node {leader}, the leader");
            await cluster.StopAsync(leader);

            await cluster.WaitUntilAsync(restartAt, token);
            cluster.Print($"-- restarting node {leader} at its old address, with fresh detectors");
            await cluster.RestartAsync(leader, token);

            await cluster.WaitUntilAsync(endAt, token);
            cluster.PrintSummary();
            return 0;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            cluster.Print("-- stopped (Ctrl-C)");
            return 0;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static string Show(long leader) => leader == LeaderDetector.NoLeader ? "none" : leader.ToString(CultureInfo.InvariantCulture);

    /// <summary>The demo's nodes: for each, a gRPC host and its detectors while it runs.</summary>
    private sealed class DemoCluster(int n, TimeSpan delta) : IAsyncDisposable
    {
        private readonly long _start = TimeProvider.System.GetTimestamp();
        // Quick reconnection, so that the others reach a restarted node soon after it is back. The
        // gRPC channel's own default backoff grows up to two minutes.
        private readonly GrpcTransport _transport = new(new GrpcTransportOptions
        {
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            ChannelOptions = new GrpcChannelOptions
            {
                InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
                MaxReconnectBackoff = TimeSpan.FromSeconds(1),
            },
        });
        private readonly Dictionary<uint, string> _addresses = [];
        private readonly Dictionary<uint, Life> _lives = [];

        public async Task StartAsync(CancellationToken token)
        {
            // The hosts start first (port 0: a free port each) so that every node knows every address.
            var servers = new Dictionary<uint, GorumsServer>();
            for (uint id = 0; id < n; id++)
            {
                servers[id] = new GorumsServer();
                var host = await GorumsGrpcHost.StartAsync(servers[id], cancellationToken: token);
                _addresses[id] = host.Address;
                _lives[id] = new Life(host);
                Print($"node {id} serves at {host.Address}");
            }

            foreach (var (id, life) in _lives)
            {
                life.Attach(NewNode(id), servers[id], this);
            }

            await ConnectedAsync([.. _lives.Values.Select(l => l.Node!)], token);
            foreach (var life in _lives.Values)
            {
                life.Node!.Start();
            }

            Print("every node is connected to every node; heartbeats start");
        }

        public void Print(string line) =>
            Console.WriteLine($"[{TimeProvider.System.GetElapsedTime(_start).TotalSeconds,6:0.00} s] {line}");

        public async Task WaitUntilAsync(TimeSpan at, CancellationToken token)
        {
            var left = at - TimeProvider.System.GetElapsedTime(_start);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, token);
            }
        }

        /// <summary>The leader as the running node with the lowest id sees it; the highest id when none runs.</summary>
        public uint LeaderSeenByLowest()
        {
            var leader = _lives.Where(l => l.Value.Node is not null).OrderBy(l => l.Key).Select(l => l.Value.Node!.Leader).FirstOrDefault(LeaderDetector.NoLeader);
            return leader == LeaderDetector.NoLeader ? (uint)(n - 1) : (uint)leader;
        }

        public Task StopAsync(uint id) => _lives[id].StopAsync();

        public async Task RestartAsync(uint id, CancellationToken token)
        {
            var server = new GorumsServer();
            var node = NewNode(id);
            server.Register(node.Service);
            try
            {
                var host = await GorumsGrpcHost.StartAsync(server, _addresses[id], cancellationToken: token);
                _lives[id] = new Life(host);
                _lives[id].Attach(node, server: null, this);
                await ConnectedAsync([node], token);
                node.Start();
            }
            catch (IOException e)
            {
                Print($"-- node {id} cannot listen at {_addresses[id]} again: {e.Message}");
                await node.DisposeAsync();
            }
        }

        /// <summary>Waits (up to 5 s) until the nodes' connections are up, so that connecting is not mistaken for crashing.</summary>
        private static async Task ConnectedAsync(DetectorNode[] nodes, CancellationToken token)
        {
            var start = TimeProvider.System.GetTimestamp();
            while (!nodes.All(n => n.Manager.Nodes.All(peer => peer.State == LinkState.Ready))
                && TimeProvider.System.GetElapsedTime(start) < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), token);
            }
        }

        public void PrintSummary()
        {
            foreach (var (id, life) in _lives.OrderBy(l => l.Key))
            {
                if (life.Node is { } node)
                {
                    Print($"node {id}: leader {Show(node.Leader)}, suspects [{string.Join(", ", node.FailureDetector.Suspected)}], delay {node.FailureDetector.Delay.TotalMilliseconds} ms");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var life in _lives.Values)
            {
                await life.StopAsync();
            }
        }

        private DetectorNode NewNode(uint id) =>
            new(id, _addresses, _transport, TimeProvider.System, new DetectorOptions
            {
                Delta = delta,
                ClientName = $"node-{id}",
                Observer = new Printer(id, this),
            });

        private sealed class Printer(uint id, DemoCluster cluster) : ISuspicionListener
        {
            public void Suspect(uint suspect) => cluster.Print($"node {id} suspects node {suspect}");

            public void Restore(uint restored) => cluster.Print($"node {id} restores node {restored}");
        }
    }

    /// <summary>One run of a node: its host, its detectors and the loop that prints its leader changes.</summary>
    private sealed class Life(GorumsGrpcHost host)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _follow = Task.CompletedTask;
        private bool _stopped;

        public DetectorNode? Node { get; private set; }

        public void Attach(DetectorNode node, GorumsServer? server, DemoCluster cluster)
        {
            server?.Register(node.Service);
            Node = node;
            var changes = node.Subscribe();
            var last = node.Leader;
            _follow = FollowAsync();

            async Task FollowAsync()
            {
                try
                {
                    await foreach (var leader in changes.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                    {
                        cluster.Print($"node {node.Id}: leader {Show(last)} -> {Show(leader)}");
                        last = leader;
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    // the node stopped
                }
            }
        }

        public async Task StopAsync()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await host.DisposeAsync();
            if (Node is { } node)
            {
                await node.DisposeAsync();
                Node = null;
            }

            await _stop.CancelAsync();
            await _follow;
            _stop.Dispose();
        }
    }
}
