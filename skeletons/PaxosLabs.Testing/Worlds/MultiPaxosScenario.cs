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
/// <see cref="Reconfigure"/> (stage 6) adds two spare replicas, down at first, and replaces a crashed
/// replica by one of them while another change adds the second, both during the load (<see cref="MultiPaxosScenario"/>).
/// With both, the durable store changes its replicas while its initial replicas crash and restart from their disks.
/// </summary>
public sealed record MultiPaxosFaults(int Replicas = 3, int Clients = 3, int OpsPerClient = 8, bool CrashLeader = true, bool PartitionMinority = true, int Alpha = 16, bool Durable = false, ulong SnapshotEvery = 3, KvClientMode ClientMode = KvClientMode.AllReplicas, bool Reconfigure = false, ReconfigurationPlan Plan = ReconfigurationPlan.ReplaceAndGrow);

/// <summary>Stage 6: which changes the administrators make during the load.</summary>
public enum ReconfigurationPlan
{
    /// <summary>A replica (the leader in half the seeds) crashes; one change replaces it by a spare, another adds the second spare, at once or one after the other.</summary>
    ReplaceAndGrow,

    /// <summary>The leader is removed while it runs (no crash); another change adds a spare at once.</summary>
    RemoveLeader,

    /// <summary>The leader crashes right after the first change is decided; the second change replaces it by a spare.</summary>
    LeaderCrashDuringChange,
}

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

    /// <summary>Stage 6: the replicas <paramref name="ids"/>, each at its simulator address (r0, r1, …).</summary>
    public static Membership Members(params IEnumerable<uint> ids)
    {
        var members = new Membership();
        foreach (var id in ids)
        {
            members.Nodes.Add(id, Replica(id));
        }

        return members;
    }

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
    public const string ReconfigurationSweepTest = "ReconfigurationSweepTests.The_store_changes_its_replicas_during_the_load";
    public const string DurableReconfigurationSweepTest = "ReconfigurationSweepTests.The_durable_store_changes_its_replicas_while_replicas_crash_and_restart";
    public const string Stage6Tests = "src/tests/PaxosLabs.Stage6.Tests";

    /// <summary>
    /// Stage 6: the store over <paramref name="seeds"/> seeds (replicas·1000 + 1, + 2, …), each
    /// replacing a crashed replica (the leader in half of them) by a spare and adding another spare,
    /// during the load, on the lossy network; α slots in flight.
    /// </summary>
    public static void ReconfigurationSweep(int replicas, int seeds, int alpha = 4, ReconfigurationPlan plan = ReconfigurationPlan.ReplaceAndGrow, IProgress<SweepProgress>? progress = null) =>
        RunSweep(ReconfigurationSweepTest, Stage6Tests, new MultiPaxosFaults(Replicas: replicas, Alpha: alpha, Reconfigure: true, CrashLeader: false, Plan: plan), seeds,
            progress, $"reconfiguration sweep ({plan}), {replicas} replicas, alpha {alpha}");

    /// <summary>
    /// Stage 5: the durable store over <paramref name="seeds"/> seeds (replicas·1000 + 1, + 2, …), each
    /// crashing and restarting one, a majority or all replicas, whose disks lose (or tear) what was
    /// not flushed.
    /// </summary>
    public static void DurableSweep(int replicas, int seeds, IProgress<SweepProgress>? progress = null) =>
        RunSweep(DurableSweepTest, Stage5Tests, new MultiPaxosFaults(Replicas: replicas, Durable: true), seeds,
            progress, $"durable Multi-Paxos sweep, {replicas} replicas");

    /// <summary>
    /// Stages 5 and 6 together: <see cref="ReconfigurationSweep"/> on the durable store, whose initial
    /// replicas also crash and restart from their disks as in <see cref="DurableSweep"/> (one, a
    /// majority or all of them; a replaced one may come back after its removal). Every acknowledged
    /// write must survive, and every check of both sweeps holds.
    /// </summary>
    public static void DurableReconfigurationSweep(int replicas, int seeds, ReconfigurationPlan plan = ReconfigurationPlan.ReplaceAndGrow, IProgress<SweepProgress>? progress = null) =>
        RunSweep(DurableReconfigurationSweepTest, Stage6Tests, new MultiPaxosFaults(Replicas: replicas, Alpha: 4, Durable: true, Reconfigure: true, CrashLeader: false, Plan: plan), seeds,
            progress, $"durable reconfiguration sweep ({plan}), {replicas} replicas, alpha 4");

    private static void RunSweep(string testName, string testProject, MultiPaxosFaults faults, int seeds, IProgress<SweepProgress>? progress, string sweepName) =>
        Simulation.Sweep.Run(testName, testProject, Enumerable.Range(1, Simulation.Sweep.SeedCount(seeds)).Select(i => (long)(faults.Replicas * 1000 + i)), Faults, options => Run(options, faults), Names(faults),
            progress, sweepName);

    public static string Client(int i) => $"c{i}";

    public static IReadOnlyList<string> Names(MultiPaxosFaults faults) =>
        [.. Enumerable.Range(0, faults.Replicas + (faults.Reconfigure ? 2 : 0)).Select(i => Replica((uint)i)), .. Enumerable.Range(0, faults.Clients).Select(Client), .. Enumerable.Range(0, faults.Reconfigure ? 2 : 0).Select(Admin)];

    public static SimulationOutcome Run(SimulationOptions options, MultiPaxosFaults faults, long maxSteps = 3_000_000)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(faults);
        var spares = faults.Reconfigure ? 2 : 0;
        var nodes = Enumerable.Range(0, faults.Replicas + spares).ToDictionary(i => (uint)i, i => Replica((uint)i));
        var members = nodes.Where(n => n.Key < faults.Replicas).ToDictionary();
        var sim = new Simulator(options);
        var loopFailures = new List<string>();
        var disks = nodes.Values.ToDictionary(name => name, _ => new MemoryStorage(), StringComparer.Ordinal);
        foreach (var (id, name) in nodes)
        {
            sim.AddNode(name, id, env => StartReplica(env, nodes, [.. members.Keys], faults, loopFailures, faults.Durable ? disks[name] : null));
            if (id >= faults.Replicas)
            {
                sim.Crash(name); // a spare: a machine that is not running yet
            }
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
                var replicas = new MultiPaxosConfiguration(manager.NewConfiguration(members), new PaxosQSpec(members.Count)) { Timeout = TimeSpan.FromSeconds(1) };
                return new SimProcess([], new KvClient(name, replicas, new KvClientOptions { TimeProvider = env.Time, Deadline = TimeSpan.FromSeconds(60), Mode = faults.ClientMode }));
            });
            workloads.Add(sim.InvokeAsync(name, () => RunClientAsync(sim, client, faults.OpsPerClient, history, options.Seed, finalReads: faults.Durable), "workload"));
        }

        if (faults.Reconfigure)
        {
            workloads.AddRange(ScheduleReconfigurations(sim, faults, options, members, history, faults.Durable ? disks : null));
        }

        if (faults.Durable)
        {
            ScheduleCrashRestarts(sim, faults, options, disks);
        }
        else if (!faults.Reconfigure)
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
            return new SimulationOutcome(sim, $"A client failed: {faulted.Exception!.InnerException!.Message}{States(sim, nodes)}");
        }

        if (!workloads.All(w => w.IsCompleted))
        {
            return new SimulationOutcome(sim, $"The clients did not finish within {sim.Steps} steps ({sim.Now.TotalSeconds:0.0} s of virtual time), although the network became stable at {options.Faults.StableAfter.TotalSeconds:0.#} s: once a majority is connected and a single leader is stable, every pending request must complete.{States(sim, nodes)}");
        }

        var verdict = LinearizabilityChecker.Check(history);
        if (verdict.Verdict != Verdict.Linearizable)
        {
            return new SimulationOutcome(sim, HistoryFailure(verdict));
        }

        return new SimulationOutcome(sim, faults.Reconfigure ? NewConfigurationRan(sim, nodes, faults.Alpha, maxSteps) ?? OutsideTheirConfiguration(sim, nodes, faults.Alpha) : null);
    }

    /// <summary>
    /// Stage 6: the first Prepare, Accept or Commit of the run that a replica sent, or that went to a
    /// replica, outside the configuration of its slot (a Prepare's FromSlot); null when there is none.
    /// The configurations follow from the decided log as protocol §6.2 defines them; the log is the
    /// replicas' decided slots at the end and every commit of the run (a replica that snapshotted
    /// keeps no slots below its snapshot, but each decided slot was committed by some leader).
    /// </summary>
    private static string? OutsideTheirConfiguration(Simulator sim, IReadOnlyDictionary<uint, string> nodes, int alpha)
    {
        var decidedLog = new SortedDictionary<ulong, Value>();
        foreach (var process in nodes.Values.Select(name => sim[name].Process?.Instance).OfType<ReplicaProcess>())
        {
            foreach (var decided in process.Replica.State.DecidedFrom(1).Decided)
            {
                decidedLog.TryAdd(decided.Slot, decided.Val);
            }
        }

        static string MethodOf(TraceEvent sent) => sent.Message!.Method[(sent.Message.Method.LastIndexOf('/') + 1)..];
        var requests = sim.Trace.Events.Where(e => e.Kind == TraceKind.Send && e.Message is { IsReply: false }).ToList();
        foreach (var commit in requests.Where(e => MethodOf(e) == "Commit"))
        {
            var learn = LearnMsg.Parser.ParseFrom(commit.Message!.Payload);
            decidedLog.TryAdd(learn.Slot, learn.Val);
        }

        var epochs = new List<(ulong From, HashSet<uint> Members)> { (1, [.. nodes.Keys.Where(id => id < nodes.Count - 2)]) }; // the spares are the two highest ids
        foreach (var (slot, decided) in decidedLog)
        {
            foreach (var value in decided.Batch.Count == 0 ? [decided] : decided.Batch)
            {
                if (value.Reconfigure is { } change && !change.Nodes.Keys.ToHashSet().SetEquals(epochs[^1].Members))
                {
                    epochs.Add((slot + (ulong)alpha, [.. change.Nodes.Keys]));
                }
            }
        }

        HashSet<uint> MembersOf(ulong slot) => epochs.Last(e => e.From <= slot).Members;
        foreach (var sent in requests)
        {
            var method = MethodOf(sent);
            var payload = sent.Message!.Payload;
            ulong? slot = method switch
            {
                "Prepare" => PrepareMsg.Parser.ParseFrom(payload).FromSlot,
                "Accept" => AcceptMsg.Parser.ParseFrom(payload).Slot,
                "Commit" => LearnMsg.Parser.ParseFrom(payload).Slot,
                _ => null,
            };
            if (slot is not { } t)
            {
                continue;
            }

            var members = MembersOf(t);
            var outsider = new[] { sent.Node, sent.Peer! }.FirstOrDefault(name => nodes.FirstOrDefault(n => n.Value == name) is var node && node.Value is not null && !members.Contains(node.Key));
            if (outsider is not null)
            {
                return $"{sent.Node} sent a {method} for slot {t} to {sent.Peer} at {sent.Time.TotalMilliseconds:0.###} ms (step {sent.Step}), but {outsider} is not a replica of slot {t}'s configuration {{{string.Join(", ", members.Order())}}} (protocol §6.2, §6.3: a slot's prepares, accepts and commits go from and to the replicas of its configuration only).";
            }
        }

        return null;
    }

    /// <summary>
    /// Stage 6: the changes ran, so the replicas that are up agree that the newest configuration is the
    /// one the last change named; after one or a few more writes (the first administrator's, to a key
    /// of its own, until a slot of the newest configuration is decided), every replica of it that is
    /// up, the spares that joined included, runs the slots of that configuration: the same adu, past
    /// its first slot.
    /// </summary>
    private static string? NewConfigurationRan(Simulator sim, IReadOnlyDictionary<uint, string> nodes, int alpha, long maxSteps)
    {
        List<ReplicaProcess> Up() => [.. nodes.Values.Select(name => sim[name].Process?.Instance).OfType<ReplicaProcess>()];
        var latest = Up().Select(p => p.Replica.State.LatestConfiguration!).MaxBy(e => e.FromSlot)!;
        List<ReplicaProcess> Members() => [.. Up().Where(p => latest.Members.Nodes.ContainsKey(p.Id))];
        ulong Highest() => Up().Max(p => p.Replica.State.Adu);
        // The writes start once the network is stable, so that their commits reach every replica that is up.
        var stable = sim.Options.Faults.StableAfter == TimeSpan.MaxValue ? sim.Now : sim.Options.Faults.StableAfter + TimeSpan.FromMilliseconds(500);
        sim.RunUntil(() => sim.Now >= stable, sim.Steps + maxSteps / 10);
        var writes = sim.InvokeAsync(Admin(0), async () =>
        {
            var kv = sim[Admin(0)].Get<KvClient>();
            // At least one: a replica that missed the last commits hears of a slot above them, and catches up.
            var i = 0;
            do
            {
                await kv.PutAsync("w", $"after.{i}");
            }
            while (Highest() < latest.FromSlot && ++i < 2 * alpha + 4);

            return true;
        }, "write until the newest configuration runs");
        bool CaughtUp() => writes.IsCompleted && Members().Select(p => p.Replica.State.Adu).Distinct().Count() == 1 && Members()[0].Replica.State.Adu >= latest.FromSlot;
        sim.RunUntil(CaughtUp, sim.Steps + maxSteps / 10);
        if (writes.IsFaulted)
        {
            return $"A write after the changes failed: {writes.Exception!.InnerException!.Message}{States(sim, nodes)}";
        }

        if (!CaughtUp())
        {
            return $"The replicas of the newest configuration {Configurations.Describe(latest)} did not all catch up and run its slots (every one of them that is up must reach the same adu, at least {latest.FromSlot}).{States(sim, nodes)}";
        }

        var disagreeing = Up().FirstOrDefault(p => !p.Replica.State.LatestConfiguration!.Equals(latest) && p.Replica.State.Adu >= latest.FromSlot - (ulong)alpha);
        return disagreeing is null ? null : $"Replica {Replica(disagreeing.Id)} ran every slot up to {disagreeing.Replica.State.Adu}, the newest change's slot included, but knows the newest configuration as {Configurations.Describe(disagreeing.Replica.State.LatestConfiguration!)}, not {Configurations.Describe(latest)}.{States(sim, nodes)}";
    }

    /// <summary>Each replica as it ended: "  r0: leader=2 adu=14 rnd=5 …", or down.</summary>
    private static string States(Simulator sim, IReadOnlyDictionary<uint, string> nodes) =>
        Environment.NewLine + "  the replicas at the end:" + string.Concat(nodes.Values.Select(name =>
            $"{Environment.NewLine}    {name}: {(sim[name].Process?.Describe is { } describe ? describe() : "down")}"));

    private static SimProcess StartReplica(SimEnvironment env, IReadOnlyDictionary<uint, string> nodes, IReadOnlyCollection<uint> members, MultiPaxosFaults faults, List<string> failures, MemoryStorage? disk)
    {
        var process = new ReplicaProcess(env.Id, nodes, env.Network, env.Name, new ReplicaOptions
        {
            Reconfigurable = faults.Reconfigure,
            Members = faults.Reconfigure ? members : null,
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
        return new SimProcess(process.Services, process, () => $"leader={process.Replica.Leader} {process.Replica.State}{(process.Replica.State.LatestConfiguration is { FromSlot: > 1 } latest ? $" configuration {Configurations.Describe(latest)}" : "")}");
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
    /// Stage 6: while the network is unstable, a replica (the leader in half the seeds) crashes, and
    /// an administrator replaces it by the first spare, started fresh; a second administrator
    /// (at once, or after the first change, at random) adds the second spare. Another replica may be
    /// cut off for a while. Each administrator is a client node; its task is done when its change ran.
    /// </summary>
    private static IEnumerable<Task<bool>> ScheduleReconfigurations(Simulator sim, MultiPaxosFaults faults, SimulationOptions options, Dictionary<uint, string> members, List<KvOperation> history, Dictionary<string, MemoryStorage>? disks)
    {
        void Crash(uint id)
        {
            sim.Crash(Replica(id));
            if (disks is not null)
            {
                sim.Note(Replica(id), $"disk: {disks[Replica(id)].Crash(null)}"); // a durable replica loses what it had not flushed
            }
        }

        var random = new Random(unchecked((int)options.Seed * 31 + 13));
        var horizon = options.Faults.StableAfter == TimeSpan.MaxValue ? TimeSpan.FromSeconds(1) : options.Faults.StableAfter / 2;
        var leader = (uint)(faults.Replicas - 1);
        var first = (uint)faults.Replicas;
        var second = first + 1;
        var at = TimeSpan.FromTicks((long)(random.NextDouble() * horizon.Ticks));
        var admins = new List<Task<bool>>();
        var firstDone = new TaskCompletionSource();
        var clocks = new Dictionary<string, TimeProvider>(StringComparer.Ordinal);
        List<uint> firstChange, secondChange;
        bool together;
        Action? afterFirst = null;
        uint? crashed = null;
        switch (faults.Plan)
        {
            case ReconfigurationPlan.RemoveLeader:
                firstChange = [.. members.Keys.Where(m => m != leader)];
                secondChange = [.. firstChange, first];
                together = true;
                sim.At(at, $"start the spare {Replica(first)}", () => sim.Restart(Replica(first)));
                break;
            case ReconfigurationPlan.LeaderCrashDuringChange:
                firstChange = [.. members.Keys, first];
                secondChange = [.. members.Keys.Where(m => m != leader), first, second];
                together = false;
                sim.At(at, $"start the spares {Replica(first)} and {Replica(second)}", () =>
                {
                    sim.Restart(Replica(first));
                    sim.Restart(Replica(second));
                });
                afterFirst = () => sim.At(sim.Now, $"crash the leader {Replica(leader)}, right after the first change ran", () => Crash(leader));
                crashed = leader;
                break;
            default:
                var victim = random.Next(2) == 0 ? leader : (uint)random.Next(faults.Replicas - 1);
                crashed = victim;
                firstChange = [.. members.Keys.Where(m => m != victim), first];
                secondChange = [.. firstChange, second];
                together = random.Next(2) == 0;
                sim.At(at, $"crash {Replica(victim)}; start the spares {Replica(first)} and {Replica(second)}", () =>
                {
                    Crash(victim);
                    sim.Restart(Replica(first));
                    sim.Restart(Replica(second));
                });
                break;
        }

        if (faults.PartitionMinority && faults.Replicas >= 5)
        {
            // One more replica cut off for a while: every configuration keeps a majority up and connected.
            FaultSchedule.Random(sim, [.. members.Keys.Where(m => m != leader && m != crashed).Select(m => Replica(m))], 0, 1, horizon, random);
        }

        for (var a = 0; a < 2; a++)
        {
            var name = Admin(a);
            var change = a == 0 ? firstChange : secondChange;
            sim.AddNode(name, (uint)(150 + a), env =>
            {
                clocks[name] = env.Time;
                var manager = new Manager(env.Network, env.ManagerOptions());
                var replicas = new MultiPaxosConfiguration(manager.NewConfiguration(members), new PaxosQSpec(members.Count)) { Timeout = TimeSpan.FromSeconds(1) };
                return new SimProcess([], new KvClient(name, replicas, new KvClientOptions { TimeProvider = env.Time, Deadline = TimeSpan.FromSeconds(60) }));
            });
            var admin = a;
            admins.Add(sim.InvokeAsync(name, async () =>
            {
                var kv = sim[name].Get<KvClient>();
                await Task.Delay(at + TimeSpan.FromMilliseconds(1), clocks[name]);
                if (admin == 1 && !together)
                {
                    await firstDone.Task;
                }

                await kv.ReconfigureAsync(Members(change));
                if (admin == 0)
                {
                    afterFirst?.Invoke();
                    firstDone.TrySetResult();
                }

                // Writes after the change, so the new configuration runs slots before the run ends.
                for (var i = 0; i < 2; i++)
                {
                    var invoke = sim.Steps;
                    var argument = $"{name}.{i};";
                    await kv.AppendAsync("x", argument);
                    history.Add(new KvOperation(10 + admin, KvOpKind.Append, "x", argument, null, invoke, sim.Steps));
                }

                return true;
            }, $"reconfigure to {{{string.Join(", ", change)}}}"));
        }

        return admins;
    }

    public static string Admin(int i) => $"a{i}";

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
