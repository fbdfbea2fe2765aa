using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace PaxosLabs.Benchmarks;

/// <summary>One BenchmarkDotNet result: time per operation (ns) and bytes allocated per operation.</summary>
internal sealed record BdnRow(string Benchmark, string Method, int Nodes, double MeanNs, double MedianNs, double StdDevNs, double MinNs, double MaxNs, int Iterations, long? BytesPerOp);

/// <summary>
/// Runs BenchmarkDotNet in this process (the in-process emit toolchain: no generated project to
/// build, so it works in the kit's artifacts layout and on a busy machine).
/// </summary>
internal static class BdnRunner
{
    public static List<BdnRow> Run<T>(Settings settings, string artifactsPath)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(settings.Quick ? 2 : 6)
            .WithIterationCount(settings.Quick ? 5 : 20)
            .WithIterationTime(TimeInterval.FromMilliseconds(settings.Quick ? 150 : 500))
            .WithId(settings.Quick ? "quick" : "full");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile);

        var summary = BenchmarkRunner.Run<T>(config);
        if (summary.HasCriticalValidationErrors)
        {
            throw new InvalidOperationException($"BenchmarkDotNet refused {typeof(T).Name}: {string.Join("; ", summary.ValidationErrors.Select(e => e.Message))}");
        }

        var rows = new List<BdnRow>();
        foreach (var report in summary.Reports)
        {
            var method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var nodes = Convert.ToInt32(report.BenchmarkCase.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture);
            var stats = report.ResultStatistics;
            if (!report.Success || stats is null)
            {
                throw new InvalidOperationException($"BenchmarkDotNet: {typeof(T).Name}.{method} N={nodes} failed; see the log above.");
            }

            rows.Add(new BdnRow(typeof(T).Name, method, nodes, stats.Mean, stats.Median, stats.StandardDeviation, stats.Min, stats.Max, stats.N,
                report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)));
        }

        return rows;
    }
}
