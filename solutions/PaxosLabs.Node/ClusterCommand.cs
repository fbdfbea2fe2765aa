using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PaxosLabs.Detectors;
using PaxosLabs.Durable;
using PaxosLabs.Gorums;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 4: N replicas in this process, each fully independent (its own gRPC host on 127.0.0.1,
/// transport, managers, detectors and replica), under a closed-loop workload. Prints every
/// replica's leader changes and the throughput of each second; kills the leader on schedule and
/// when <c>k</c> is pressed (crash-stop), and ends with a summary and a check that the live
/// replicas' logs agree. Ctrl-C stops it cleanly. Exits 0 after a correct run, 1 when the logs
/// disagree or a replica's background loop failed (printed when it failed, and in the summary).
/// Stage 5: with <c>--data-dir</c> each replica keeps its state in a folder of its own there, and a
/// killed leader is started again from it <c>--restart-after-s</c> seconds later.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "How many replicas to start (1–9).", DefaultValueFactory = _ => 3 };
        var basePort = new Option<int>("--base-port") { Description = "Replica i (1…N) listens at 127.0.0.1:base-port+i-1; 0 picks free ports.", DefaultValueFactory = _ => 0 };
        var clients = new Option<int>("--clients") { Description = "How many clients run at once, each waiting for its operation before the next (1–1024).", DefaultValueFactory = _ => 4 };
        var duration = new Option<int>("--duration-s") { Description = "How long the workload runs, in seconds (1–86400).", DefaultValueFactory = _ => 20 };
        var killAt = new Option<int>("--kill-leader-at-s") { Description = "When to kill the leader (crash-stop), in seconds from the start; 0: never.", DefaultValueFactory = _ => 5 };
        var restartAfter = new Option<int?>("--restart-after-s") { Description = "Stage 5, with --data-dir: restart the killed leader from its data folder this many seconds later. Without --data-dir a restart is not possible (an acceptor that restarts with empty state is unsafe in Paxos), so killed replicas stay down; 0 or absent: no restart." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Stage 5: keep each replica's state in <dir>/replica-<id> (made when missing; a second run goes on from it), so a killed replica can restart." };
        var delta = new Option<int>("--delta-ms") { Description = "The failure detectors' delta in milliseconds (10–5000).", DefaultValueFactory = _ => 100 };
        var alpha = new Option<int>("--alpha") { Description = "At most this many slots in flight per leader (1–1024).", DefaultValueFactory = _ => 16 };
        var leaderDirect = new Option<bool>("--leader-direct") { Description = "The clients send each request to the replica the last answer named as leader (protocol §4.5), not to every replica." };
        var replaceAt = new Option<int>("--replace-at-s") { Description = "Stage 6: at this second, replace the replica killed before (or, if none was, kill the leader now) by a new replica process, by a reconfiguration under the load (protocol §6); 0: never.", DefaultValueFactory = _ => 0 };
        var command = new Command("cluster", "Stage 4: N replicas of the key-value store on 127.0.0.1 under a workload; the leader is killed on schedule or when you press k; stage 6: a killed replica is replaced by a new one with --replace-at-s.")
        {
            replicas, basePort, clients, duration, killAt, restartAfter, delta, alpha, dataDir, leaderDirect, replaceAt,
        };
        command.SetAction((parse, token) => RunAsync(
            new Settings(parse.GetValue(replicas), parse.GetValue(basePort), parse.GetValue(clients), parse.GetValue(duration), parse.GetValue(killAt), parse.GetValue(restartAfter) ?? 0, parse.GetValue(delta), parse.GetValue(alpha), parse.GetValue(dataDir), parse.GetValue(leaderDirect) ? KvClientMode.LeaderDirect : KvClientMode.AllReplicas, parse.GetValue(replaceAt)),
            token));
        return command;
    }

    private sealed record Settings(int Replicas, int BasePort, int Clients, int DurationS, int KillAtS, int RestartAfterS, int DeltaMs, int Alpha, string? DataDir, KvClientMode ClientMode, int ReplaceAtS = 0);

    private static string? Check(Settings s) =>
        s.Replicas is < 1 or > 9 ? $"--replicas must be between 1 and 9, not {s.Replicas}"
        : s.BasePort != 0 && (s.BasePort < 1 || s.BasePort + s.Replicas - 1 > 65535) ? $"--base-port must be 0 (free ports) or a port from 1 to {65536 - s.Replicas}, not {s.BasePort}"
        : s.Clients is < 1 or > 1024 ? $"--clients must be between 1 and 1024, not {s.Clients}"
        : s.DurationS is < 1 or > 86400 ? $"--duration-s must be between 1 and 86400, not {s.DurationS}"
        : s.KillAtS < 0 ? $"--kill-leader-at-s must not be negative (0: never), not {s.KillAtS}"
        : s.RestartAfterS < 0 ? $"--restart-after-s must not be negative, not {s.RestartAfterS}"
        : s.ReplaceAtS < 0 ? $"--replace-at-s must not be negative (0: never), not {s.ReplaceAtS}"
        : s.ReplaceAtS > 0 && s.Replicas < 3 ? $"--replace-at-s needs at least 3 replicas (a killed one leaves a majority to run the change), not {s.Replicas}"
        : s.ReplaceAtS > 0 && s.DataDir is not null ? "--replace-at-s runs replicas in memory: it cannot be combined with --data-dir"
        : GrpcReplica.CheckSettings(s.DeltaMs, s.Alpha);

    private static async Task<int> RunAsync(Settings settings, CancellationToken token)
    {
        if (Check(settings) is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 2;
        }

        using var interruption = new Interruption(token);
        token = interruption.Token;
        var n = settings.Replicas;
        var spares = settings.ReplaceAtS > 0 ? 1 : 0; // stage 6: one node more, started at the replacement
        var ports = settings.BasePort == 0 ? FreePorts(n + spares) : [.. Enumerable.Range(settings.BasePort, n + spares)];
        var nodes = Enumerable.Range(1, n + spares).ToDictionary(i => (uint)i, i => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ports[i - 1]}"));
        var addresses = nodes.Where(node => node.Key <= n).ToDictionary();
        var quorum = new PaxosQSpec(n).QuorumSize;
        var killable = n - 1 >= quorum;

        var interactive = !Console.IsInputRedirected && killable;
        Console.WriteLine($"{n} replicas (quorum {quorum}): {NodeMap.Show(addresses)}");
        Console.WriteLine($"{settings.Clients} {(settings.ClientMode == KvClientMode.LeaderDirect ? "leader-direct clients" : "clients")} for {settings.DurationS} s; "
            + (!killable ? $"with {n} replica(s) a killed leader would leave no majority, so none is killed"
                : settings.KillAtS > 0 && settings.KillAtS < settings.DurationS ? $"the leader is killed at {settings.KillAtS} s (crash-stop)"
                : settings.KillAtS > 0 ? $"the leader is not killed on schedule (--kill-leader-at-s {settings.KillAtS} is not before the end)"
                : "the leader is not killed on schedule")
            + (interactive ? "; press k to kill the leader" : "") + "; Ctrl-C stops");
        Console.WriteLine($"try from another terminal: client --nodes {NodeMap.Show(addresses)} get key-1");
        if (spares > 0)
        {
            Console.WriteLine($"at {settings.ReplaceAtS} s a killed replica is replaced by replica {n + 1} at {nodes[(uint)(n + 1)]} (a reconfiguration, protocol §6; alpha {settings.Alpha})");
        }
        if (settings.RestartAfterS > 0 && settings.DataDir is not null)
        {
            Console.WriteLine($"the killed leader restarts from its data folder {settings.RestartAfterS} s after its kill; state in {Path.GetFullPath(settings.DataDir)}");
        }
        else if (settings.RestartAfterS > 0)
        {
            Console.WriteLine("note: --restart-after-s needs --data-dir. Without it a replica's state is in memory: it would come back with empty acceptor state (an amnesiac acceptor can break Paxos safety: a value chosen with its vote could be lost), so killed replicas stay down (crash-stop).");
        }

        await using var cluster = new LocalCluster(nodes, spares > 0 ? [.. addresses.Keys] : null, TimeSpan.FromMilliseconds(settings.DeltaMs), settings.Alpha, quorum, settings.DataDir);
        try
        {
            await cluster.StartAsync(token);
        }
        catch (ListenException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CorruptStorageException)
        {
            await Console.Error.WriteLineAsync($"error: --data-dir {settings.DataDir}: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return 0;
        }

        await using var clientManager = new Manager(NodeMap.Transport(), new ManagerOptions { ClientName = "cluster-clients" });
        var replicas = new MultiPaxosConfiguration(clientManager.NewConfiguration(addresses.OrderBy(a => a.Key)), new PaxosQSpec(n)) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = TimeSpan.FromSeconds(10);
        var workload = new Workload(replicas, "load", settings.Clients, 100, deadline, settings.ClientMode);
        using var stopWorkload = CancellationTokenSource.CreateLinkedTokenSource(token);
        cluster.StartClock();
        var run = workload.RunAsync(null, stopOnFailure: false, stopWorkload.Token);
        var keys = interactive ? ReadKeysAsync(cluster, stopWorkload.Token) : Task.CompletedTask;

        (long At, uint Id)? killed = null;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var (lastDone, lastTime) = (0L, TimeSpan.Zero);
            for (var second = 1; second <= settings.DurationS && await timer.WaitForNextTickAsync(token); second++)
            {
                var (done, now) = (workload.Done, workload.Elapsed);
                var rate = (done - lastDone) / Math.Max((now - lastTime).TotalSeconds, 1e-3);
                (lastDone, lastTime) = (done, now);
                cluster.Print(string.Create(CultureInfo.InvariantCulture, $"{rate,7:0} ops/s  (total {done}{(workload.Failed > 0 ? $", {workload.Failed} failed" : "")})  leader {GrpcReplica.Show(cluster.AgreedLeader)}"));
                if (killable && second == settings.KillAtS && await cluster.KillLeaderAsync("on schedule") is { } victim)
                {
                    killed = (second, victim);
                }

                if (second == settings.ReplaceAtS && second < settings.DurationS)
                {
                    var gone = killed?.Id ?? await cluster.KillLeaderAsync("to replace it");
                    if (gone is { } replaced)
                    {
                        await cluster.ReplaceAsync(replaced, (uint)(n + 1), replicas, token);
                        killed = null;
                    }
                }

                if (killed is { } kill && settings.RestartAfterS > 0 && second == kill.At + settings.RestartAfterS)
                {
                    if (settings.DataDir is null)
                    {
                        cluster.Print("-- not restarting the killed replica: an amnesiac restart is unsafe (see the note above); it stays down");
                    }
                    else
                    {
                        await cluster.RestartAsync(kill.Id, token);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            cluster.Print("-- stopping (Ctrl-C)");
        }

        await stopWorkload.CancelAsync();
        await run;
        await keys;
        Console.WriteLine($"summary: {workload.Summary()}");
        Console.WriteLine($"leader changes: {cluster.LeaderChanges}");
        if (workload.FirstError is { } error)
        {
            Console.WriteLine($"first failure: {error}");
        }

        var check = cluster.CheckLogs();
        Console.WriteLine(check.Line);
        // A replica's loop that failed is an error of the run, printed when it happened and here again.
        var failures = cluster.Failures;
        foreach (var failure in failures)
        {
            Console.WriteLine($"FAILED: {failure}");
        }

        return check.Agree && failures.Count == 0 ? 0 : 1;
    }

    /// <summary>n distinct ports that were free a moment ago (bound on port 0, then released).</summary>
    private static int[] FreePorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>Pressing k kills the current leader, until <paramref name="token"/> ends the run; only when stdin is a terminal.</summary>
    private static async Task ReadKeysAsync(LocalCluster cluster, CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (Console.KeyAvailable)
                {
                    if (Console.ReadKey(intercept: true).KeyChar is 'k' or 'K')
                    {
                        await cluster.KillLeaderAsync("key k");
                    }
                }
                else
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // stopped
        }
        catch (InvalidOperationException)
        {
            // no console to read keys from after all
        }
    }

    /// <summary>The replicas, the leader they agree on, and crash-stop kills.</summary>
    /// <param name="nodes">Every node, the spare of stage 6 included.</param>
    /// <param name="members">Stage 6: the initial configuration when the cluster may change it; null: all nodes, for good.</param>
    private sealed class LocalCluster(Dictionary<uint, string> nodes, IReadOnlyCollection<uint>? members, TimeSpan delta, int alpha, int quorum, string? dataDir) : IAsyncDisposable
    {
        private readonly uint[] _initial = [.. nodes.Keys.Where(id => members?.Contains(id) ?? true).Order()]; // the replicas started at first
        private readonly Dictionary<uint, DurableJournal> _journals = [];
        private long _start;
        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _killing = new(1, 1);
        private readonly Dictionary<uint, ReplicaProcess> _live = [];
        private readonly List<ReplicaProcess> _all = [];
        private readonly List<string> _failures = [];
        private readonly List<long> _leaders = [];
        private readonly HashSet<uint> _reported = [];

        /// <summary>The leader every live replica trusts, or none while they disagree.</summary>
        public long AgreedLeader { get; private set; } = LeaderDetector.NoLeader;

        /// <summary>"1 (3 -> 2)": how often the agreed leader changed after the first one, and the sequence.</summary>
        public string LeaderChanges
        {
            get
            {
                lock (_gate)
                {
                    return $"{Math.Max(0, _leaders.Count - 1)} ({string.Join(" -> ", _leaders.Select(GrpcReplica.Show))})";
                }
            }
        }

        /// <summary>The background loops of replicas that failed, each as a line with the time it failed.</summary>
        public IReadOnlyList<string> Failures
        {
            get
            {
                lock (_gate)
                {
                    return [.. _failures];
                }
            }
        }

        /// <summary>Times printed from now on count from here (the workload's start); before, they are 0.</summary>
        public void StartClock() => _start = Stopwatch.GetTimestamp();

        public void Print(string line)
        {
            var at = _start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_start);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{at.TotalSeconds,6:0.00} s] {line}"));
        }

        public async Task StartAsync(CancellationToken token)
        {
            foreach (var id in _initial)
            {
                var node = Create(id);
                _all.Add(node);
                _live[id] = node;
            }

            foreach (var node in _all)
            {
                await GrpcReplica.ListenAsync(node, nodes[node.Id], token);
            }

            // Connected before the detectors start, so that connecting is not mistaken for crashing.
            foreach (var node in _all)
            {
                await GrpcReplica.ConnectedAsync(node, _initial, TimeSpan.FromSeconds(5), token);
            }

            foreach (var node in _all)
            {
                node.Start();
            }
        }

        /// <summary>Stage 5: starts a killed replica again from its data folder, at its address.</summary>
        public async Task RestartAsync(uint id, CancellationToken token)
        {
            var node = Create(id);
            lock (_gate)
            {
                _all.Add(node);
            }

            await GrpcReplica.ListenAsync(node, nodes[id], token);
            await GrpcReplica.ConnectedAsync(node, _initial, TimeSpan.FromSeconds(5), token);
            lock (_gate)
            {
                _live[id] = node;
                _reported.Remove(id);
                Print($"-- restarted replica {id} from its data folder: recovered up to slot {node.Replica.State.Adu}");
            }

            node.Start();
        }

        private ReplicaProcess Create(uint id)
        {
            DurableJournal? journal = null;
            if (dataDir is not null)
            {
                journal = DurableJournal.Open(Path.Combine(dataDir, string.Create(CultureInfo.InvariantCulture, $"replica-{id}")));
                lock (_gate)
                {
                    _journals[id] = journal;
                }
            }

            return GrpcReplica.Create(id, nodes, delta, alpha, (before, after) => OnLeaderChange(id, before, after), OnFailure, journal, members);
        }

        private void OnLeaderChange(uint id, long before, long after)
        {
            lock (_gate)
            {
                if (!_live.ContainsKey(id))
                {
                    return;
                }

                Print(_reported.Add(id)
                    ? $"replica {id} trusts replica {GrpcReplica.Show(after)}"
                    : $"replica {id}: leader {GrpcReplica.Show(before)} -> {GrpcReplica.Show(after)}");

                UpdateAgreed();
            }
        }

        /// <summary>Printed at once, and kept for the summary and the exit code: the run is not correct.</summary>
        private void OnFailure(ReplicaLoopException failure)
        {
            lock (_gate)
            {
                var at = _start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_start);
                _failures.Add(string.Create(CultureInfo.InvariantCulture, $"at {at.TotalSeconds:0.00} s, {failure.Message}"));
                Print($"!! {failure.Message}");
            }
        }

        /// <summary>Under the lock: when every live replica trusts the same leader, and it is new, record and print it.</summary>
        private void UpdateAgreed()
        {
            var views = _live.Values.Select(r => r.Leader).Distinct().ToList();
            var agreed = views.Count == 1 ? views[0] : LeaderDetector.NoLeader;
            if (agreed != LeaderDetector.NoLeader && agreed != AgreedLeader)
            {
                _leaders.Add(agreed);
                Print($"== leader: replica {agreed} (all {_live.Count} live replicas agree)");
            }

            AgreedLeader = agreed;
        }

        /// <summary>
        /// Stage 6: starts replica <paramref name="spare"/> (fresh) and changes the configuration to
        /// the live replicas and it, through <paramref name="replicas"/>: the replicas of the cluster
        /// until then. The workload's clients follow the change from the responses (protocol §6.6).
        /// </summary>
        public async Task ReplaceAsync(uint replaced, uint spare, MultiPaxosConfiguration replicas, CancellationToken token)
        {
            var node = Create(spare);
            lock (_gate)
            {
                _all.Add(node);
            }

            await GrpcReplica.ListenAsync(node, nodes[spare], token);
            List<uint> live;
            lock (_gate)
            {
                live = [.. _live.Keys, spare];
            }

            await GrpcReplica.ConnectedAsync(node, live, TimeSpan.FromSeconds(5), token);
            node.Start();
            var change = new Membership();
            lock (_gate)
            {
                _live[spare] = node;
                change.Nodes.Add(_live.Keys.Order().ToDictionary(id => id, id => nodes[id]));
                Print($"-- started replica {spare} at {nodes[spare]}; replacing replica {replaced}: reconfigure to {{{string.Join(", ", change.Nodes.Keys)}}}");
            }

            await new KvClient("admin", replicas, new KvClientOptions { Deadline = TimeSpan.FromSeconds(30) }).ReconfigureAsync(change, token);
            Epoch? latest;
            lock (_gate)
            {
                latest = _live.Values.Select(r => r.Replica.State.LatestConfiguration).OfType<Epoch>().MaxBy(e => e.FromSlot);
            }

            Print($"-- the change ran: configuration {(latest is null ? "?" : Configurations.Describe(latest))}; replica {spare} catches up, then takes part");
        }

        /// <summary>Kills the leader (crash-stop; with a data folder its disk stays) unless that would leave less than a majority; returns its id, or null.</summary>
        public async Task<uint?> KillLeaderAsync(string why)
        {
            await _killing.WaitAsync();
            try
            {
                ReplicaProcess victim;
                lock (_gate)
                {
                    if (_live.Count - 1 < quorum)
                    {
                        Print($"-- not killing ({why}): {_live.Count} replicas are alive and a quorum is {quorum}; one more crash would stop the cluster");
                        return null;
                    }

                    // The agreed leader, else the one most live replicas trust.
                    var leader = AgreedLeader != LeaderDetector.NoLeader && _live.ContainsKey((uint)AgreedLeader)
                        ? AgreedLeader
                        : _live.Values.Select(r => r.Leader).Where(l => l != LeaderDetector.NoLeader && _live.ContainsKey((uint)l))
                            .GroupBy(l => l).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(LeaderDetector.NoLeader);
                    if (leader == LeaderDetector.NoLeader)
                    {
                        Print($"-- not killing ({why}): no live replica is trusted as leader right now");
                        return null;
                    }

                    victim = _live[(uint)leader];
                    _live.Remove(victim.Id);
                    Print(dataDir is null
                        ? $"-- killing replica {victim.Id}, the leader ({why}): crash-stop, its host and state are gone"
                        : $"-- killing replica {victim.Id}, the leader ({why}): its host and memory are gone, its data folder stays");
                }

                await victim.DisposeAsync();
                // What it appended and did not flush is lost, as in a crash.
                DurableJournal? journal;
                lock (_gate)
                {
                    journal = _journals.GetValueOrDefault(victim.Id);
                }

                journal?.Dispose();
                return victim.Id;
            }
            finally
            {
                _killing.Release();
            }
        }

        /// <summary>Whether the live replicas' logs agree in every slot they have all decided.</summary>
        public (bool Agree, string Line) CheckLogs()
        {
            List<ReplicaProcess> live;
            lock (_gate)
            {
                live = [.. _live.Values.OrderBy(r => r.Id)];
            }

            var logs = live.ToDictionary(r => r.Id, r => r.Replica.State.DecidedFrom(1).Decided.ToDictionary(d => d.Slot, d => d.Val));
            var common = logs.Values.Select(l => (IEnumerable<ulong>)l.Keys).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
            var (firstId, firstLog) = logs.First();
            foreach (var slot in common)
            {
                foreach (var (id, log) in logs)
                {
                    if (!Equals(log[slot], firstLog[slot]))
                    {
                        return (false, $"SAFETY VIOLATION: slot {slot}: replica {firstId} decided {firstLog[slot]}, replica {id} decided {log[slot]}");
                    }
                }
            }

            var adus = string.Join(", ", live.Select(r => $"{r.Id}: {r.Replica.State.Adu}"));
            return (true, $"check: the logs of the {live.Count} live replicas agree in all {common.Count} slots they have all decided (adu {adus})");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var node in _all)
            {
                await node.DisposeAsync();
            }

            foreach (var journal in _journals.Values)
            {
                journal.Dispose();
            }

            _killing.Dispose();
        }
    }
}
