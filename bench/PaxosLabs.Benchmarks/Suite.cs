using System.Diagnostics;

namespace PaxosLabs.Benchmarks;

/// <summary>Measures the figures a command line asked for (<see cref="Cli"/>) and writes the results page.</summary>
internal static class Suite
{
    /// <param name="args">The command line as given, for the page's "rerun with" line.</param>
    public static async Task<int> RunAsync(FiguresRequest request, IReadOnlyList<string> args)
    {
#if DEBUG
        _ = request;
        _ = args;
        await Console.Error.WriteLineAsync($"Build and run the benchmarks in Release: {Cli.RunCommand} ...");
        return 2;
#else
        var figures = request.Figures;
        var outPath = request.Out;
        var repo = FindRepoRoot();
        var artifacts = request.Artifacts ?? Path.Combine(repo ?? Directory.GetCurrentDirectory(), "artifacts", "benchmarks");
        var settings = new Settings(request.Quick);
        settings = settings with { Sizes = request.Sizes ?? settings.Sizes, InFlight = request.InFlight ?? settings.InFlight };
        var machine = Machine.Describe();
        var loadBefore = Machine.LoadAverage();
        var started = Stopwatch.GetTimestamp();
        var results = new Results();

        // A figure that fails is reported on the page; the figures measured before and after it are kept.
        async Task FigureAsync(string name, Func<Task> measure)
        {
            if (!figures.Contains(name))
            {
                return;
            }

            try
            {
                await measure();
            }
#pragma warning disable CA1031 // any failure of one figure becomes a line of the page
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"figure {name} failed: {e}");
                results.Failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        await FigureAsync("throughput", async () =>
        {
            Console.WriteLine("== figure 1: quorum-call throughput, closed loop");
            results.Throughput = await QuorumThroughput.RunAsync(settings);
        });

        await FigureAsync("latency", () =>
        {
            Console.WriteLine("== figure 1: one call in flight, BenchmarkDotNet");
            GrpcQuorumCall.WarmUpSettings = settings;
            results.GrpcLatency = BdnRunner.Run<GrpcQuorumCall>(settings, artifacts);
            return Task.CompletedTask;
        });

        await FigureAsync("alloc", async () =>
        {
            Console.WriteLine("== allocations: in-memory transport, BenchmarkDotNet");
            results.InMemory = BdnRunner.Run<InMemoryQuorumCall>(settings, artifacts);
            Console.WriteLine("== allocations: objects per call (sampled runtime events, child processes)");
            results.ObjectCounts = [];
            foreach (var call in new[] { "read", "write" })
            {
                foreach (var n in settings.Sizes)
                {
                    var count = await AllocationProfile.MeasureAsync(call, n, settings.Quick ? 30_000 : 200_000);
                    Console.WriteLine($"  {call} n={n}: ~{count.ObjectsPerCall:F1} objects/call, {count.ExactBytesPerCall:F0} B/call");
                    results.ObjectCounts.Add(count);
                }
            }
        });

        await FigureAsync("kv", async () =>
        {
            Console.WriteLine("== figure 2: Multi-Paxos key-value store, closed loop of Put writes");
            results.Kv = await KvThroughput.RunAsync(settings);
        });

        await FigureAsync("raft", async () =>
        {
            Console.WriteLine("== figure 2, peer: DotNext Raft key-value store, closed loop, beside the fastest store contender in the same repetitions");
            var defaults = new MultiPaxos.ReplicaOptions();
            await using var partner = await MultiPaxosContender.StartAsync(3, defaults.Alpha, defaults.MaxBatch, clientMode: MultiPaxos.KvClientMode.LeaderDirect);
            results.Raft = await RaftPeer.RunAsync(RaftPeerOptions.From(settings) with { Progress = Console.WriteLine, Partner = partner }, CancellationToken.None);
            RaftReport.PrintTable(results.Raft);
        });

        await FigureAsync("crash", async () =>
        {
            Console.WriteLine("== figure 3: throughput across a leader crash");
            var svg = outPath is not null
                ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, "figures", "leader-crash.svg")
                : Path.Combine(artifacts, "leader-crash.svg");
            results.Crash = await LeaderCrash.RunAsync(settings, svg);
        });

        await FigureAsync("sim", () =>
        {
            Console.WriteLine("== figure 4: simulator");
            results.Simulator = SimulatorThroughput.Run(settings);
            return Task.CompletedTask;
        });

        await FigureAsync("grade", () =>
        {
            Console.WriteLine("== figure 5: wall time of a full hidden grade of the solutions");
            results.Grade = GradeWallTime.Run(repo ?? throw new InvalidOperationException("figure 5 runs the grader: start the benchmarks inside the kit's repository"), settings);
            return Task.CompletedTask;
        });

        await FigureAsync("durable", async () =>
        {
            Console.WriteLine("== figure 6: the durable store beside the Raft peer, on a disk and on tmpfs");
            results.Durable = await DurableThroughput.RunAsync(settings);
        });

        var wall = Stopwatch.GetElapsedTime(started);
        var loadAfter = Machine.LoadAverage();
        var command = Cli.RunCommand + " " + string.Join(' ', args);
        if (outPath is not null)
        {
            var previous = File.Exists(outPath) ? await File.ReadAllTextAsync(outPath) : null;
            var page = Report.Render(results, settings, machine, command, loadBefore, loadAfter, wall, previous, Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            await File.WriteAllTextAsync(outPath, page);
            Console.WriteLine($"wrote {outPath}");
        }
        else
        {
            Console.WriteLine(Report.Render(results, settings, machine, command, loadBefore, loadAfter, wall, null, Directory.GetCurrentDirectory()));
        }

        return 0;
#endif
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "solutions")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
