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
        command.SetAction((parse, token) => RunFromCommandLineAsync(parse.GetValue(nodes), parse.GetValue(delta), token));
        return command;
    }

    private static async Task<int> RunFromCommandLineAsync(int n, int deltaMs, CancellationToken token)
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
        var delta = TimeSpan.FromMilliseconds(deltaMs);
        return await RunAsync(n, delta, DemoSchedule.For(delta), Console.Out, interrupted.Token);
    }

    /// <summary>
    /// Runs the demo over gRPC on 127.0.0.1 and prints to <paramref name="output"/>. Cancelling
    /// <paramref name="token"/> ends it early, once every node has stopped; that is a normal end (0).
    /// </summary>
    internal static async Task<int> RunAsync(int n, TimeSpan delta, DemoSchedule schedule, TextWriter output, CancellationToken token)
    {
        await using var cluster = new DemoCluster(n, delta, output, new GrpcHosting(), TimeProvider.System);
        try
        {
            await cluster.StartAsync(token);
            cluster.Print($"delta {delta.TotalMilliseconds} ms; the leader stops at {schedule.StopAt.TotalSeconds:0.#} s and restarts at {schedule.RestartAt.TotalSeconds:0.#} s; the demo ends at {schedule.EndAt.TotalSeconds:0.#} s (Ctrl-C ends it earlier).");

            await cluster.WaitUntilAsync(schedule.StopAt, token);
            var leader = cluster.LeaderSeenByLowest();
            await cluster.StopAsync(leader, "the leader");

            await cluster.WaitUntilAsync(schedule.RestartAt, token);
            await cluster.RestartAsync(leader, token);

            await cluster.WaitUntilAsync(schedule.EndAt, token);
            cluster.PrintSummary();
            return 0;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await cluster.DisposeAsync(); // every node stops first, so that none prints after the line
            cluster.Print("-- stopped (Ctrl-C)");
            return 0;
        }
    }

    internal static string Show(long leader) => leader == LeaderDetector.NoLeader ? "none" : leader.ToString(CultureInfo.InvariantCulture);

    /// <summary>When the demo stops the leader, restarts it and ends, counted from its start.</summary>
    internal sealed record DemoSchedule(TimeSpan StopAt, TimeSpan RestartAt, TimeSpan EndAt)
    {
        /// <summary>Long enough for the detectors to settle after each step, even with a large delta.</summary>
        public static DemoSchedule For(TimeSpan delta)
        {
            var stopAt = Max(TimeSpan.FromSeconds(3), 10 * delta);
            var restartAt = stopAt + Max(TimeSpan.FromSeconds(5), 20 * delta);
            return new DemoSchedule(stopAt, restartAt, restartAt + Max(TimeSpan.FromSeconds(5), 20 * delta));
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }

    /// <summary>Where the demo's nodes serve and how they reach each other: gRPC here; a test may host them in memory.</summary>
    internal interface IDemoHosting
    {
        ITransport Transport { get; }

        /// <summary>Serves <paramref name="server"/> at <paramref name="address"/>, or at a free address when null; <see cref="IOException"/> when it cannot.</summary>
        Task<IDemoHost> StartAsync(GorumsServer server, string? address, CancellationToken token);
    }

    /// <summary>A node's running server: disposing it stops serving.</summary>
    internal interface IDemoHost : IAsyncDisposable
    {
        string Address { get; }
    }

    private sealed class GrpcHosting : IDemoHosting
    {
        // Quick reconnection, so that the others reach a restarted node soon after it is back. The
        // gRPC channel's own default backoff grows up to two minutes.
        public ITransport Transport { get; } = new GrpcTransport(new GrpcTransportOptions
        {
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            ChannelOptions = new GrpcChannelOptions
            {
                InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
                MaxReconnectBackoff = TimeSpan.FromSeconds(1),
            },
        });

        public async Task<IDemoHost> StartAsync(GorumsServer server, string? address, CancellationToken token) =>
            new Host(await GorumsGrpcHost.StartAsync(server, address ?? "127.0.0.1:0", cancellationToken: token).ConfigureAwait(false));

        private sealed class Host(GorumsGrpcHost host) : IDemoHost
        {
            public string Address => host.Address;

            public ValueTask DisposeAsync() => host.DisposeAsync();
        }
    }

    /// <summary>The demo's nodes: for each, a host and its detectors while it runs.</summary>
    internal sealed class DemoCluster(int n, TimeSpan delta, TextWriter output, IDemoHosting hosting, TimeProvider time) : IAsyncDisposable
    {
        private readonly long _start = time.GetTimestamp();
        private readonly Lock _printGate = new();
        private readonly Dictionary<uint, string> _addresses = [];
        private readonly Dictionary<uint, Life> _lives = [];

        public async Task StartAsync(CancellationToken token)
        {
            // The hosts start first (each at a free address) so that every node knows every address.
            var servers = new Dictionary<uint, GorumsServer>();
            for (uint id = 0; id < n; id++)
            {
                servers[id] = new GorumsServer();
                var host = await hosting.StartAsync(servers[id], address: null, token);
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

        /// <summary>Prints one line with the time since the start; lines of concurrent callers never mix.</summary>
        public void Print(string line)
        {
            lock (_printGate)
            {
                output.WriteLine($"[{time.GetElapsedTime(_start).TotalSeconds,6:0.00} s] {line}");
            }
        }

        public async Task WaitUntilAsync(TimeSpan at, CancellationToken token)
        {
            var left = at - time.GetElapsedTime(_start);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, time, token);
            }
        }

        /// <summary>The leader as the running node with the lowest id sees it; the highest id when none runs.</summary>
        public uint LeaderSeenByLowest()
        {
            var leader = _lives.Where(l => l.Value.Node is not null).OrderBy(l => l.Key).Select(l => l.Value.Node!.Leader).FirstOrDefault(LeaderDetector.NoLeader);
            return leader == LeaderDetector.NoLeader ? (uint)(n - 1) : (uint)leader;
        }

        /// <summary>
        /// Stops a node and prints "-- node N stopped" once it has gone quiet: nothing it does is
        /// printed after that line. Its host and connections stop after the line.
        /// </summary>
        public Task StopAsync(uint id, string? who = null) =>
            _lives[id].StopAsync(silenced: () => Print($"-- node {id} stopped" + (who is null ? "" : $" ({who})")));

        public async Task RestartAsync(uint id, CancellationToken token)
        {
            Print($"-- restarting node {id} at its old address, with fresh detectors");
            var server = new GorumsServer();
            var node = NewNode(id);
            server.Register(node.Service);
            try
            {
                var host = await hosting.StartAsync(server, _addresses[id], token);
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
        private async Task ConnectedAsync(DetectorNode[] nodes, CancellationToken token)
        {
            var start = time.GetTimestamp();
            while (!nodes.All(n => n.Manager.Nodes.All(peer => peer.State == LinkState.Ready))
                && time.GetElapsedTime(start) < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, token);
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

        /// <summary>Stops every node that runs; more calls do nothing.</summary>
        public async ValueTask DisposeAsync()
        {
            foreach (var life in _lives.Values)
            {
                await life.StopAsync();
            }
        }

        private DetectorNode NewNode(uint id) =>
            new(id, _addresses, hosting.Transport, time, new DetectorOptions
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
    private sealed class Life(IDemoHost host)
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

        /// <summary>
        /// Stops the node's detectors and the loop that prints its leader changes, then calls
        /// <paramref name="silenced"/>, then stops its host and closes its connections. The
        /// detectors go first: while the host stops, a running failure detector would hear from no
        /// one and print suspicions of every node.
        /// </summary>
        public async Task StopAsync(Action? silenced = null)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            Node?.Stop(); // waits for a timeout in progress, whose suspicions print before it returns
            await _stop.CancelAsync();
            await _follow;
            silenced?.Invoke();

            await host.DisposeAsync();
            if (Node is { } node)
            {
                await node.DisposeAsync();
                Node = null;
            }

            _stop.Dispose();
        }
    }
}
