using System.Globalization;
using Grpc.Net.Client;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.MultiPaxos;
using PaxosLabs.NetFault.Tests.Lab;
using PaxosLabs.Simulation.Checkers;
using PaxosLabs.Testing;

namespace PaxosLabs.NetFault.Tests;

/// <summary>The settings of a run: how long faults go on, how many clients, the seed.</summary>
internal sealed record FaultRunSettings(TimeSpan Faults, int Seed, int Clients = 4, int KeysPerEpoch = 6, long StepBudget = 20_000_000)
{
    /// <summary>How long the clients go on after the last fault is healed (the cluster must serve again).</summary>
    public TimeSpan Calm { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>What a run produced: the history, the faults, the checks' verdicts.</summary>
internal sealed record FaultRunResult(
    FaultRunSettings Settings,
    History History,
    List<Op> Ops,
    List<FaultEvent> Timeline,
    List<(string Kind, int Weight, string Meaning)> Kinds,
    List<string> NotInjected,
    LinearizabilityResult Linearizability,
    List<string> LostWrites,
    List<string> Problems,
    double HealedAt,
    double? FirstOkAfterHeal,
    TimeSpan CheckTime)
{
    /// <summary>A pass: linearizable (inconclusive is not a pass), no acknowledged write lost or doubled, no replica failure.</summary>
    public bool Passed => Linearizability.Verdict == Verdict.Linearizable && LostWrites.Count == 0 && Problems.Count == 0;

    public int Acknowledged => Ops.Count(o => o.Ok);

    public int Unknown => Ops.Count(o => !o.Ok);

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Settings.Seed}: {Ops.Count} operations ({Acknowledged} completed, {Unknown} unknown), {Timeline.Count} faults; " +
        $"linearizability: {Linearizability.Verdict} ({Linearizability.StepsUsed} search steps); " +
        $"acknowledged appends lost or doubled: {LostWrites.Count}; replica problems: {Problems.Count}; " +
        $"first completed operation {FirstOkAfterHeal?.ToString("0.00", CultureInfo.InvariantCulture) ?? "never"} s after the final heal");
}

/// <summary>
/// One run of the fault test: the lab's namespaces, three durable replica processes, clients in
/// their namespace recording a history while the nemesis injects faults, then everything healed,
/// a calm spell, a final read of every key, and the checks. Always removes what it made.
/// </summary>
internal static class FaultRun
{
    public const int Replicas = 3;

    public static async Task<FaultRunResult> RunAsync(FaultRunSettings settings, Action<string> log)
    {
        var history = new History();
        void Log(string line) => log(string.Create(CultureInfo.InvariantCulture, $"[{history.Elapsed.TotalSeconds,7:0.00} s] {line}"));
        var data = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"paxoslabs-netfault-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        using var lab = NetworkLab.Create(Replicas);
        using var replicas = new ReplicaSet(lab, data);
        using var sockets = new NamespaceSockets(lab.ClientNamespace);
        try
        {
            Log($"namespaces {lab.Tag}-*: replicas at {replicas.Map}, clients at {NetworkLab.ClientAddress}; data in {data}");
            await replicas.StartAsync();
            await Eventually.WaitAsync(() => replicas.AgreedLeader() is not null, "the 3 replica processes to agree on a leader");
            Log($"leader {replicas.AgreedLeader()}");

            await using var manager = new Manager(new GrpcTransport(new GrpcTransportOptions
            {
                DialTimeout = TimeSpan.FromSeconds(2),
                MaxBackoff = TimeSpan.FromMilliseconds(500),
                ChannelOptions = new GrpcChannelOptions
                {
                    HttpHandler = sockets.Handler(),
                    InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
                    MaxReconnectBackoff = TimeSpan.FromSeconds(1),
                },
            }), new ManagerOptions { ClientName = "netfault-clients" });
            var nodes = lab.Ids.ToDictionary(id => id, NetworkLab.Endpoint);
            var configuration = new MultiPaxosConfiguration(manager.NewConfiguration(nodes), new PaxosQSpec(nodes.Count)) { Timeout = TimeSpan.FromSeconds(1) };
            KvClient Connect(string id) => new(id, configuration, new KvClientOptions { Deadline = settings.Deadline });

            await Eventually.WithinAsync(new KvClient("netfault-probe", configuration, new KvClientOptions { Deadline = Eventually.DefaultBound }).GetAsync("probe"), "a first read through the clients' namespace");
            var notInjected = NotInjected(lab);
            notInjected.ForEach(line => Log($"NOT INJECTED: {line}"));
            Log("the clients reach the cluster; faults begin");

            var clients = new Clients(Connect, history, settings.Seed, settings.KeysPerEpoch, settings.Deadline);
            var nemesis = new Nemesis(lab, replicas, history, settings.Seed, Log);
            using var stop = new CancellationTokenSource();
            var work = clients.RunAsync(settings.Clients, stop.Token);
            var faultsEnd = history.Elapsed.TotalSeconds + settings.Faults.TotalSeconds;
            try
            {
                await nemesis.RunAsync(faultsEnd);
            }
            finally
            {
                await nemesis.HealAsync();
            }

            var healedAt = history.Elapsed.TotalSeconds;
            Log("every fault healed; the clients go on in calm");
            await Eventually.WaitAsync(() => replicas.AgreedLeader() is not null, "the replicas to agree on a leader after the faults were healed", TimeSpan.FromSeconds(60));
            await Task.Delay(settings.Calm);
            await stop.CancelAsync();
            await work;

            Log("final read of every key");
            await FinalReadsAsync(Connect, history);
            var ops = history.Snapshot();
            var healedTicks = (long)(healedAt * System.Diagnostics.Stopwatch.Frequency);
            var firstOk = ops.Where(o => o.Ok && o.Return >= healedTicks).Select(o => history.Seconds(o.Return) - healedAt).DefaultIfEmpty(double.NaN).Min();

            var checkStart = history.Elapsed;
            var verdict = LinearizabilityChecker.Check([.. ops.Select(o => o.ToKv())], settings.StepBudget);
            var checkTime = history.Elapsed - checkStart;
            var lost = AcknowledgedWrites.Check(ops);
            var problems = replicas.Problems();
            problems.AddRange(clients.BadResults);
            var result = new FaultRunResult(settings, history, ops, nemesis.Timeline, nemesis.Kinds, notInjected, verdict, lost, problems, healedAt, double.IsNaN(firstOk) ? null : firstOk, checkTime);
            Log(result.Summary());
            return result;
        }
        finally
        {
            replicas.Dispose();
            lab.Heal();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>The faults the issue asks for that this machine cannot inject, each with the reason.</summary>
    private static List<string> NotInjected(NetworkLab lab) => lab.NetemMissing is { } why
        ? [$"packet delay, jitter, loss, duplication and reordering: this kernel has no netem qdisc ({why}); no other kernel tool here can do it (no tc actions such as gact or mirred, no iptables or nft), and over TCP they would reach gRPC only as delay, which the slow link (tbf) and the pauses inject"]
        : [];

    /// <summary>Reads every key used, each until a read completes: the values every acknowledged write must be in.</summary>
    private static async Task FinalReadsAsync(Func<string, KvClient> connect, History history)
    {
        var keys = history.Snapshot().Select(o => o.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var process = history.NewProcess();
        var reader = connect(string.Create(CultureInfo.InvariantCulture, $"netfault-reader-{process}"));
        foreach (var key in keys)
        {
            var deadline = history.Elapsed + Eventually.DefaultBound;
            while (true)
            {
                var op = history.Invoke(process, KvOpKind.Get, key, "");
                try
                {
                    history.Complete(op, await reader.GetAsync(key));
                    break;
                }
                catch (TimeoutException) when (history.Elapsed < deadline)
                {
                    history.Unknown(op, "timeout (final read, retried)");
                    process = history.NewProcess();
                    reader = connect(string.Create(CultureInfo.InvariantCulture, $"netfault-reader-{process}"));
                }
            }
        }
    }
}

/// <summary>Every acknowledged append must be in the final value of its key exactly once; no append may be there twice, nor one never invoked.</summary>
internal static class AcknowledgedWrites
{
    public static List<string> Check(List<Op> ops)
    {
        var problems = new List<string>();
        var finals = ops.Where(o => o.Kind == KvOpKind.Get && o.Ok).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.MaxBy(o => o.Invoke)!.Output ?? "");
        var invoked = ops.Where(o => o.Kind == KvOpKind.Append).Select(o => o.Argument).ToHashSet(StringComparer.Ordinal);
        foreach (var key in ops.Select(o => o.Key).Distinct())
        {
            var tokens = (finals.GetValueOrDefault(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => t + ",").ToList();
            var counts = tokens.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var append in ops.Where(o => o.Key == key && o.Kind == KvOpKind.Append && o.Ok))
            {
                if (!counts.ContainsKey(append.Argument))
                {
                    problems.Add($"{key}: acknowledged append \"{append.Argument}\" (p{append.Process}) is missing from the final value");
                }
            }

            problems.AddRange(counts.Where(c => c.Value > 1).Select(c => $"{key}: \"{c.Key}\" is in the final value {c.Value} times (an append must run once)"));
            problems.AddRange(counts.Keys.Where(t => !invoked.Contains(t)).Select(t => $"{key}: \"{t}\" is in the final value but no client appended it"));
        }

        return problems;
    }
}
