using System.Globalization;
using PaxosLabs.NetFault.Tests.Lab;

namespace PaxosLabs.NetFault.Tests;

/// <summary>One fault of the timeline: what was done, to whom, from when to when (seconds of the run).</summary>
internal sealed record FaultEvent(string Kind, string What, double Start)
{
    public double? End { get; set; }

    public string Show() => string.Create(CultureInfo.InvariantCulture, $"{Start,8:0.0} – {(End is { } e ? e.ToString("0.0", CultureInfo.InvariantCulture) : "?"),6} s  {Kind,-10} {What}");
}

/// <summary>
/// The fault schedule: one fault at a time, drawn from a seeded PRNG (its kind, its target: the
/// leader half of the time, its length), then undone, then a calm spell. The network faults are the
/// kernel's (blackhole routes, a token bucket, <c>ss -K</c>, a link down); the process faults are
/// signals. Every fault is written to the timeline when it starts and when it ends.
/// </summary>
internal sealed class Nemesis(NetworkLab lab, ReplicaSet replicas, History history, int seed, Action<string> log)
{
    /// <summary>Every kind, each with its weight; <c>netem</c> only where the kernel has it.</summary>
    public static readonly (string Kind, int Weight, string Meaning)[] AllKinds =
    [
        ("netem", 3, "a replica's packets both ways delayed 40 ± 20 ms, 3 % lost, 1 % duplicated, some reordered (tc netem)"),
        ("isolate", 3, "a replica cut off from the other replicas and the clients (blackhole routes both ways)"),
        ("split", 2, "a replica and the clients on one side, the other replicas on the other"),
        ("one-way", 2, "a replica's packets to the other replicas vanish; it still hears them"),
        ("client-cut", 1, "the clients cannot reach one replica (both ways); the replicas still reach each other"),
        ("slow", 2, "a replica's link both ways through a 64 kbit/s token bucket with a 300 ms queue (tbf): queueing delay, and drops beyond it"),
        ("resets", 2, "every TCP connection of a replica reset (ss -K) about every 0.7 s"),
        ("link-down", 1, "a replica's link down: its sends fail at once"),
        ("pause", 2, "a replica process frozen with SIGSTOP, then SIGCONT"),
        ("kill", 3, "a replica process killed with SIGKILL, then started again from its data folder"),
        ("kill-all", 1, "every replica process killed with SIGKILL at once, then all started again from their folders"),
    ];

    /// <summary>The kinds this lab can inject.</summary>
    public List<(string Kind, int Weight, string Meaning)> Kinds { get; } = [.. AllKinds.Where(k => k.Kind != "netem" || lab.NetemMissing is null)];

#pragma warning disable CA5394 // a seeded fault schedule, not security
    private readonly Random _random = new(seed);

    public List<FaultEvent> Timeline { get; } = [];

    /// <summary>Injects faults until <paramref name="until"/> (seconds of the run), then undoes the last one.</summary>
    public async Task RunAsync(double until)
    {
        while (history.Elapsed.TotalSeconds < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1 + (2 * _random.NextDouble())));
            var kind = Draw();
            var target = replicas.AgreedLeader() is { } leader && _random.Next(2) == 0 ? leader : lab.Ids[_random.Next(lab.Ids.Count)];
            var length = TimeSpan.FromSeconds(1.5 + (3.5 * _random.NextDouble()));
            await InjectAsync(kind, target, length);
        }
    }

    private string Draw()
    {
        var pick = _random.Next(Kinds.Sum(k => k.Weight));
        foreach (var (kind, weight, _) in Kinds)
        {
            if ((pick -= weight) < 0)
            {
                return kind;
            }
        }

        throw new InvalidOperationException("unreachable");
    }
#pragma warning restore CA5394

    private async Task InjectAsync(string kind, uint target, TimeSpan length)
    {
        var others = lab.Ids.Where(id => id != target).ToList();
        var fault = new FaultEvent(kind, Describe(kind, target, others), history.Elapsed.TotalSeconds);
        lock (Timeline)
        {
            Timeline.Add(fault);
        }

        log($"nemesis: {fault.Kind} {fault.What} for {length.TotalSeconds:0.0} s");
        switch (kind)
        {
            case "isolate":
                lab.Partition([target], [.. others, 0]);
                break;
            case "split":
                lab.Partition([target, 0], others);
                break;
            case "one-way":
                others.ForEach(o => lab.Block(target, o));
                break;
            case "client-cut":
                lab.Partition([target], [0]);
                break;
            case "netem":
                lab.Netem(target);
                break;
            case "slow":
                lab.Throttle(target, 64, 300);
                break;
            case "link-down":
                lab.LinkDown(target);
                break;
            case "pause":
                replicas.Pause(target);
                break;
            case "kill":
                replicas[target].Kill();
                break;
            case "kill-all":
                lab.Ids.ToList().ForEach(id => replicas[id].Kill());
                break;
        }

        if (kind == "resets")
        {
            var end = history.Elapsed + length;
            while (history.Elapsed < end)
            {
                lab.ResetConnections(target);
                await Task.Delay(TimeSpan.FromMilliseconds(700));
            }
        }
        else
        {
            await Task.Delay(length);
        }

        await HealAsync();
        fault.End = history.Elapsed.TotalSeconds;
    }

    /// <summary>Undoes every fault: the network healed, paused replicas resumed, killed ones started again from their folders.</summary>
    public async Task HealAsync()
    {
        lab.Heal();
        replicas.ResumeAll();

        var killed = lab.Ids.Where(id => replicas[id].Killed).ToList();
        if (killed.Count > 0)
        {
            await replicas.StartAsync(killed);
        }
    }

    private static string Describe(string kind, uint target, List<uint> others)
    {
        var rest = string.Join(",", others);
        return kind switch
        {
            "isolate" => $"replica {target} | replicas {rest} + clients",
            "split" => $"replica {target} + clients | replicas {rest}",
            "one-way" => $"replica {target} -> replicas {rest} dropped",
            "client-cut" => $"clients | replica {target}",
            "kill-all" => "replicas " + string.Join(",", others.Append(target).Order()),
            _ => $"replica {target}",
        };
    }
}
