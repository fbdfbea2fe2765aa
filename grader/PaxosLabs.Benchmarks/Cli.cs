using System.Diagnostics;
using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// <c>PaxosLabs.Benchmarks &lt;all|throughput|latency|alloc|kv|raft|crash|sim|grade&gt; [--quick] [--out FILE] [--artifacts DIR] [--sizes N,..] [--in-flight K,..]</c>
/// </summary>
internal static class Cli
{
    private const string Usage = """
        usage: dotnet run -c Release --project grader/PaxosLabs.Benchmarks -- <figures> [--quick] [--out FILE] [--artifacts DIR] [--sizes N,..] [--in-flight K,..]

          figures     all, or a comma-separated list of: throughput, latency, alloc, kv, raft, crash, sim, grade
                        throughput  figure 1, closed loop (1 and 64 calls in flight)
                        latency     figure 1, one call in flight, BenchmarkDotNet (also the gRPC allocation figure)
                        alloc       allocations per quorum call over the in-memory transport, BenchmarkDotNet
                        kv          figure 2, Multi-Paxos key-value store: 3 and 5 replicas, 1/16/64 clients, batching off/on
                        crash       figure 3, throughput across a leader crash (writes an SVG plot: figures/leader-crash.svg
                                    beside --out, else under --artifacts)
                        sim         figure 4, simulator steps and trace events per second
                        raft        figure 2's peer: a 3-node DotNext Raft key-value store, 1, 16 and 64 clients
                        grade       figure 5, wall time of a full hidden grade of the solutions, build excluded
          --quick     a short smoke run (numbers not for conclusions)
          --out FILE  write the results page there (e.g. docs/performance.md)
          --artifacts BenchmarkDotNet's working folder (default: artifacts/benchmarks under the repository)
          --sizes     figure 1's server counts (default 3,5,9), e.g. --sizes 3 to look at one cell while tuning
          --in-flight figure 1's calls in flight (default 1,64)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "alloc-profile")
        {
            return await AllocationProfile.RunAsync(args);
        }

#if DEBUG
        Console.Error.WriteLine("Build and run the benchmarks in Release: dotnet run -c Release --project grader/PaxosLabs.Benchmarks -- ...");
        return 2;
#else
        string[] known = ["throughput", "latency", "alloc", "kv", "raft", "crash", "sim", "grade"];
        var figures = args[0] == "all" ? known : args[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = figures.Except(known).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown figure(s): {string.Join(", ", unknown)}\n{Usage}");
            return 2;
        }

        var quick = false;
        string? outPath = null;
        string? artifacts = null;
        int[]? sizes = null;
        int[]? inFlight = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    outPath = args[++i];
                    break;
                case "--artifacts" when i + 1 < args.Length:
                    artifacts = args[++i];
                    break;
                case "--sizes" when i + 1 < args.Length && TryParseCounts(args[i + 1], out var s):
                    sizes = s;
                    i++;
                    break;
                case "--in-flight" when i + 1 < args.Length && TryParseCounts(args[i + 1], out var k):
                    inFlight = k;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}\n{Usage}");
                    return 2;
            }
        }

        var repo = FindRepoRoot();
        artifacts ??= Path.Combine(repo ?? Directory.GetCurrentDirectory(), "artifacts", "benchmarks");
        var settings = new Settings(quick);
        settings = settings with { Sizes = sizes ?? settings.Sizes, InFlight = inFlight ?? settings.InFlight };
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
            Console.WriteLine("== figure 2, peer: DotNext Raft key-value store, closed loop");
            results.Raft = await RaftPeer.RunAsync(RaftPeerOptions.From(settings) with { Progress = Console.WriteLine }, CancellationToken.None);
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

        var wall = Stopwatch.GetElapsedTime(started);
        var loadAfter = Machine.LoadAverage();
        var command = "dotnet run -c Release --project grader/PaxosLabs.Benchmarks -- " + string.Join(' ', args);
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

    private static bool TryParseCounts(string text, out int[] counts)
    {
        counts = [];
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return false;
            }

            parsed.Add(value);
        }

        counts = [.. parsed];
        return counts.Length > 0;
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
