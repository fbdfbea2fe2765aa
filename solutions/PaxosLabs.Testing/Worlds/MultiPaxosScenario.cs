using PaxosLabs.Detectors;
using PaxosLabs.Durable;
using PaxosLabs.Gorums;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Simulation;
using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.Testing.Worlds;

/// <summary>
/// How a Multi-Paxos run misbehaves besides its network faults, and how many slots its leaders keep
/// in flight (Alpha 1 makes values queue behind the one slot in flight, so most slots carry batches).
/// <see cref="Durable"/> (stage 5) keeps each replica's state on a simulated disk that outlives its
/// crashes, snapshots every <see cref="SnapshotEvery"/> slots, and replaces the crash-stop of the
/// leader and the partition by crashes and restarts of any replicas: one, a majority, or all.
/// <see cref="ClientMode"/>: where the clients send their requests (every replica, or leader-direct).
/// </summary>
public sealed record MultiPaxosFaults(int Replicas = 3, int Clients = 3, int OpsPerClient = 8, bool CrashLeader = true, bool PartitionMinority = true, int Alpha = 16, bool Durable = false, ulong SnapshotEvery = 3, KvClientMode ClientMode = KvClientMode.AllReplicas);

/// <summary>
/// The replicated key-value store in the simulator: replicas wired as every runner wires them
/// (<see cref="ReplicaProcess"/>: the failure and leader detectors of stage 3 and the replica),
/// clients running a seeded workload of puts, appends and gets. It crashes the leader
/// (crash-stop) and partitions a minority while the network is unstable. It fails on a per-slot
/// disagreement or out-of-order execution, on a replica's background loop that failed, on a client
/// history that is not linearizable (inconclusive counts as failure), and when the clients have not
/// finished by the step budget although the network became stable.
/// </summary>
public static class MultiPaxosScenario
{
    private static readonly string[] Keys = ["x", "y", "z"];

    /// <summary>The network of the sweeps: lossy, duplicating, reordering, stable from 2 s on.</summary>
    public static readonly FaultProfile Faults = FaultProfile.Lossy with { StableAfter = TimeSpan.FromSeconds(2) };

    public static string Replica(uint id) => $"r{id}";

    /// <summary>
    /// Runs the scenario over <paramref name="seeds"/> seeds (replicas·1000 + 1, + 2, …;
    /// <c>PAXOSLABS_SEEDS</c> changes how many). The visible and the graded sweep share this, so a
    /// seed that fails in grading replays with the visible test.
    /// </summary>
    public static void Sweep(int replicas, int seeds, int alpha = 16, KvClientMode clientMode = KvClientMode.AllReplicas, IProgress<SweepProgress>? progress = null) =>
        RunSweep(SweepTest, Stage4Tests, new MultiPaxosFaults(Replicas: replicas, Alpha: alpha, ClientMode: clientMode), seeds,
            progress, $"Multi-Paxos sweep, {replicas} replicas, {alpha} {(alpha == 1 ? "slot" : "slots")} in flight{(clientMode == KvClientMode.LeaderDirect ? ", leader-direct clients" : "")}");

    /// <summary>The visible tests that replay a seed of <see cref="Sweep"/> and of <see cref="DurableSweep"/>, and their projects.</summary>
    public const string SweepTest = "SimulationSweepTests.Clients_see_a_linearizable_store_through_leader_crashes_and_partitions";
    public const string Stage4Tests = "src/tests/PaxosLabs.Stage4.Tests";
    public const string DurableSweepTest = "DurableSweepTests.Nothing_acknowledged_is_lost_when_any_replicas_crash_and_restart";
    public const string Stage5Tests = "src/tests/PaxosLabs.Stage5.Tests";

    /// <summary>
    /// Stage 5: the durable store over <paramref name="seeds"/> seeds (replicas·1000 + 1, + 2, …), each
    /// crashing and restarting one, a majority or all replicas, whose disks lose (or tear) what was
    /// not flushed.
    /// </summary>
    public static void DurableSweep(int replicas, int seeds, IProgress<SweepProgress>? progress = null) =>
        RunSweep(DurableSweepTest, Stage5Tests, new MultiPaxosFaults(Replicas: replicas, Durable: true), seeds,
            progress, $"durable Multi-Paxos sweep, {replicas} replicas");

    private static void RunSweep(string testName, string testProject, MultiPaxosFaults faults, int seeds, IProgress<SweepProgress>? progress, string sweepName) =>
        Simulation.Sweep.Run(testName, testProject, Enumerable.Range(1, Simulation.Sweep.SeedCount(seeds)).Select(i => (long)(faults.Replicas * 1000 + i)), Faults, options => Run(options, faults), Names(faults),
            progress, sweepName);

    public static string Client(int i) => $"c{i}";

    public static IReadOnlyList<string> Names(MultiPaxosFaults faults) =>
        [.. Enumerable.Range(0, faults.Replicas).Select(i => Replica((uint)i)), .. Enumerable.Range(0, faults.Clients).Select(Client)];

    public static SimulationOutcome Run(SimulationOptions options, MultiPaxosFaults faults, long maxSteps = 3_000_000)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(faults);
        var nodes = Enumerable.Range(0, faults.Replicas).ToDictionary(i => (uint)i, i => Replica((uint)i));
        var sim = new Simulator(options);
        var loopFailures = new List<string>();
        var disks = nodes.Values.ToDictionary(name => name, _ => new MemoryStorage(), StringComparer.Ordinal);
        foreach (var (id, name) in nodes)
        {
            sim.AddNode(name, id, env => StartReplica(env, nodes, faults, loopFailures, faults.Durable ? disks[name] : null));
        }

        var history = new List<KvOperation>();
        var workloads = new List<Task<bool>>();
        for (var c = 0; c < faults.Clients; c++)
        {
            var name = Client(c);
            var client = c;
            sim.AddNode(name, (uint)(100 + c), env =>
            {
                var manager = new Manager(env.Network, env.ManagerOptions());
                var replicas = new MultiPaxosConfiguration(manager.NewConfiguration(nodes), new PaxosQSpec(nodes.Count)) { Timeout = TimeSpan.FromSeconds(1) };
                return new SimProcess([], new KvClient(name, replicas, new KvClientOptions { TimeProvider = env.Time, Deadline = TimeSpan.FromSeconds(60), Mode = faults.ClientMode }));
            });
            workloads.Add(sim.InvokeAsync(name, () => RunClientAsync(sim, client, faults.OpsPerClient, history, options.Seed, finalReads: faults.Durable), "workload"));
        }

        if (faults.Durable)
        {
            ScheduleCrashRestarts(sim, faults, options, disks);
        }
        else
        {
            ScheduleFaults(sim, faults, options);
        }

        var log = new LogChecker();
        void ObserveLogs()
        {
            foreach (var (_, name) in nodes)
            {
                if (sim[name].Process?.Instance is ReplicaProcess process)
                {
                    var decided = process.Replica.State.DecidedFrom(1);
                    log.Observe(name, [.. decided.Decided.Select(d => (d.Slot, Describe(d.Val)))], sim.Steps, (decided.Snapshot?.Adu ?? 0) + 1);
                }
            }
        }

        var checks = 0L;
        sim.RunUntil(() =>
        {
            if (++checks % 200 == 0)
            {
                ObserveLogs();
            }

            return log.Violation is not null || loopFailures.Count > 0 || workloads.All(w => w.IsCompleted);
        }, maxSteps);
        ObserveLogs();

        if (log.Violation is not null)
        {
            return new SimulationOutcome(sim, log.Violation);
        }

        if (loopFailures.Count > 0)
        {
            return new SimulationOutcome(sim, $"A replica's background loop failed, so it no longer follows the leader or catches up: {loopFailures[0]}");
        }

        if (workloads.FirstOrDefault(w => w.IsFaulted) is { } faulted)
        {
            return new SimulationOutcome(sim, $"A client failed: {faulted.Exception!.InnerException!.Message}");
        }

        if (!workloads.All(w => w.IsCompleted))
        {
            return new SimulationOutcome(sim, $"The clients did not finish within {sim.Steps} steps ({sim.Now.TotalSeconds:0.0} s of virtual time), although the network became stable at {options.Faults.StableAfter.TotalSeconds:0.#} s: once a majority is connected and a single leader is stable, every pending request must complete.");
        }

        var verdict = LinearizabilityChecker.Check(history);
        return verdict.Verdict == Verdict.Linearizable
            ? new SimulationOutcome(sim, null)
            : new SimulationOutcome(sim, HistoryFailure(verdict));
    }

    private static SimProcess StartReplica(SimEnvironment env, IReadOnlyDictionary<uint, string> nodes, MultiPaxosFaults faults, List<string> failures, MemoryStorage? disk)
    {
        var process = new ReplicaProcess(env.Id, nodes, env.Network, env.Name, new ReplicaOptions
        {
            TimeProvider = env.Time,
            Random = env.Random,
            CallTimeout = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(2),
            Alpha = faults.Alpha,
            Journal = disk is null ? null : new DurableJournal(disk),
            SnapshotEvery = faults.SnapshotEvery,
        }, new DetectorOptions { Delta = TimeSpan.FromMilliseconds(100) })
        {
            Failed = failure => failures.Add($"{env.Name}: {failure.Message}"),
        };
        process.Start();
        return new SimProcess(process.Services, process, () => $"leader={process.Replica.Leader} {process.Replica.State}");
    }

    /// <summary>Crash the initial leader (the highest id, crash-stop) and cut off another replica for a while, before the network is stable.</summary>
    private static void ScheduleFaults(Simulator sim, MultiPaxosFaults faults, SimulationOptions options)
    {
        var random = new Random(unchecked((int)options.Seed * 31 + 7));
        var horizon = TimeSpan.FromMilliseconds(options.Faults.StableAfter == TimeSpan.MaxValue ? 1_000 : options.Faults.StableAfter.TotalMilliseconds / 2);
        var minority = (faults.Replicas - 1) / 2;
        var crashLeader = faults.CrashLeader && minority >= 1;
        if (crashLeader)
        {
            // Crash-stop only: an acceptor that restarted with empty memory would break Paxos.
            FaultSchedule.Crash(sim, Replica((uint)(faults.Replicas - 1)), TimeSpan.FromTicks((long)(random.NextDouble() * horizon.Ticks)));
        }

        // Crashed and cut-off replicas together stay a minority.
        if (faults.PartitionMinority && minority >= (crashLeader ? 2 : 1))
        {
            FaultSchedule.Random(sim, [.. Enumerable.Range(0, faults.Replicas - 1).Select(i => Replica((uint)i))], 0, 1, horizon, random);
        }
    }

    /// <summary>
    /// Stage 5: one, a majority or all replicas crash at once, at a random time before the network is
    /// stable, and restart from their disks a little later. A crash loses what a disk had not flushed;
    /// in half the seeds it keeps a torn part of it instead, its last byte garbled half the time.
    /// </summary>
    private static void ScheduleCrashRestarts(Simulator sim, MultiPaxosFaults faults, SimulationOptions options, Dictionary<string, MemoryStorage> disks)
    {
        var random = new Random(unchecked((int)options.Seed * 31 + 11));
        var horizon = options.Faults.StableAfter == TimeSpan.MaxValue ? TimeSpan.FromSeconds(1) : options.Faults.StableAfter / 2;
        var count = random.Next(3) switch
        {
            0 => 1,
            1 => faults.Replicas / 2 + 1,
            _ => faults.Replicas,
        };
        var victims = Enumerable.Range(0, faults.Replicas).Select(i => Replica((uint)i)).OrderBy(_ => random.Next()).Take(count).ToList();
        var tear = random.Next(2) == 0;
        var at = TimeSpan.FromTicks((long)(random.NextDouble() * horizon.Ticks));
        var downFor = TimeSpan.FromMilliseconds(50 + random.Next(350));
        var diskRandom = new Random(random.Next());
        sim.At(at, $"crash {string.Join(", ", victims)} (disks {(tear ? "may tear" : "lose")} what was not flushed)", () =>
        {
            foreach (var victim in victims)
            {
                sim.Crash(victim);
                sim.Note(victim, $"disk: {disks[victim].Crash(tear ? diskRandom : null)}");
            }
        });
        sim.At(at + downFor, $"restart {string.Join(", ", victims)} from their disks", () =>
        {
            foreach (var victim in victims)
            {
                sim.Restart(victim);
            }
        });
    }

    private static async Task<bool> RunClientAsync(Simulator sim, int client, int ops, List<KvOperation> history, long seed, bool finalReads)
    {
        var kv = sim[Client(client)].Get<KvClient>();
        var random = new Random(unchecked((int)seed * 17 + client));
        for (var i = 0; i < ops; i++)
        {
            var key = Keys[random.Next(Keys.Length)];
            var kind = (KvOpKind)random.Next(3);
            var argument = kind == KvOpKind.Get ? "" : $"{Client(client)}.{i};";
            var invoke = sim.Steps;
            var output = kind switch
            {
                KvOpKind.Get => await kv.GetAsync(key),
                KvOpKind.Put => await kv.PutAsync(key, argument),
                _ => await kv.AppendAsync(key, argument),
            };
            history.Add(new KvOperation(client, kind, key, argument, kind == KvOpKind.Get ? output : null, invoke, sim.Steps));
        }

        // Stage 5: read every key at the end, so that a write acknowledged before a crash and lost
        // in it shows as a read that misses it (the history is then not linearizable).
        foreach (var key in finalReads ? Keys : [])
        {
            var invoke = sim.Steps;
            var output = await kv.GetAsync(key);
            history.Add(new KvOperation(client, KvOpKind.Get, key, "", output, invoke, sim.Steps));
        }

        return true;
    }

    /// <summary>A decided value as the log checker names it: <c>c0#2 Append y c0.1</c>, <c>c1#2 Get x</c>, <c>no-op</c> or a batch <c>[…, …]</c>.</summary>
    public static string Describe(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.IsNoop ? "no-op"
            : value.Batch.Count > 0 ? $"[{string.Join(", ", value.Batch.Select(Describe))}]"
            : string.Join(" ", new[] { $"{value.ClientId}#{value.ClientSeq}", value.Command?.Op.ToString(), value.Command?.Key, value.Command?.Value }.Where(part => !string.IsNullOrEmpty(part)));
    }

    /// <summary>How a run fails whose clients' history the linearizability checker did not accept.</summary>
    public static string HistoryFailure(LinearizabilityResult verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return $"The clients' key-value history is {(verdict.Verdict == Verdict.Inconclusive ? "not proven linearizable (the checker's budget ran out)" : "not linearizable")}: {verdict.Explanation}";
    }
}
