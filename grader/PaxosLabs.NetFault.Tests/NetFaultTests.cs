using System.Globalization;
using Xunit.Abstractions;

namespace PaxosLabs.NetFault.Tests;

/// <summary>
/// The runnable cluster under real faults (issue #23): replica processes in network namespaces,
/// partitions, a slow link, connection resets, SIGKILL and SIGSTOP; the history must be
/// linearizable (inconclusive fails) and every acknowledged write must survive.
/// The short run is part of CI; the long one runs when PAXOSLABS_NETFAULT_MINUTES is set and writes
/// docs/network-faults-report.md (see docs/network-faults.md).
/// </summary>
[Trait("Category", "NetFault")]
public sealed class NetFaultTests(ITestOutputHelper output)
{
    private const string SeedVariable = "PAXOSLABS_NETFAULT_SEED";

    [NetFaultFact]
    public async Task Short_run_of_mixed_faults_is_linearizable_and_loses_no_acknowledged_write()
    {
        var result = await RunAsync(TimeSpan.FromSeconds(40));
        Assert.True(result.Passed, Failure(result));
    }

    [NetFaultLongRunFact]
    public async Task Long_run_writes_the_report()
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable(NetFaultLongRunFactAttribute.MinutesVariable)!, CultureInfo.InvariantCulture);
        // xunit shows a test's output when it ends; the long run's lines go to a file as they come too.
        var progress = Path.Combine(RepositoryRoot(), "artifacts", "netfault", "long-run.log");
        Directory.CreateDirectory(Path.GetDirectoryName(progress)!);
        await using var file = new StreamWriter(progress) { AutoFlush = true };
        output.WriteLine($"progress: tail -f {progress}");
        var result = await RunAsync(TimeSpan.FromMinutes(minutes), line =>
        {
            output.WriteLine(line);
            lock (file)
            {
                file.WriteLine(line);
            }
        });
        var written = NetFaultReport.Write(result, RepositoryRoot());
        output.WriteLine($"wrote {string.Join(", ", written)}");
        Assert.True(result.Passed, Failure(result));
    }

    private async Task<FaultRunResult> RunAsync(TimeSpan faults, Action<string>? log = null)
    {
        log ??= output.WriteLine;
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next(1, 1_000_000);
        log($"seed {seed} (replay the same fault schedule: {SeedVariable}={seed})");
        return await FaultRun.RunAsync(new FaultRunSettings(faults, seed), log);
    }

    private static string Failure(FaultRunResult result)
    {
        var lines = new List<string> { result.Summary() };
        if (result.Linearizability.Verdict != Simulation.Checkers.Verdict.Linearizable)
        {
            lines.Add($"linearizability: {result.Linearizability.Verdict}: {result.Linearizability.Explanation}");
            if (result.Linearizability.Key is { } key)
            {
                lines.Add($"the operations on {key}:");
                lines.AddRange(result.Ops.Where(o => o.Key == key).TakeLast(60).Select(o => "  " + o.Show(result.History)));
            }
        }

        lines.AddRange(result.LostWrites.Take(20));
        lines.AddRange(result.Problems.Take(20));
        lines.Add("faults:");
        lines.AddRange(result.Timeline.Select(f => "  " + f.Show()));
        return string.Join("\n", lines);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaxosLabs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PaxosLabs.sln not found above {AppContext.BaseDirectory}");
    }
}
