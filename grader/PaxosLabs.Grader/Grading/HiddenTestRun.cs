using System.Globalization;

namespace PaxosLabs.Grader.Grading;

/// <summary>What grading one implementation needs.</summary>
/// <param name="Root">The kit root.</param>
/// <param name="Implementation"><c>solutions</c> or <c>skeletons</c> (the <c>Impl</c> build property).</param>
/// <param name="OutDirectory">Where trx/, logs/ and the reports go.</param>
/// <param name="StageTimeout">The hard bound of each stage's test run.</param>
public sealed record GradeOptions(string Root, string Implementation, string OutDirectory, TimeSpan StageTimeout)
{
    public string TrxDirectory => Path.Combine(OutDirectory, "trx");

    public string LogDirectory => Path.Combine(OutDirectory, "logs");
}

/// <summary>How grading ended: the hidden tests did not compile, or a score.</summary>
public abstract record GradeOutcome;

/// <summary>The hidden tests do not build against the implementation.</summary>
/// <param name="Errors">The compiler's error lines (those containing <c>error </c>), each once.</param>
public sealed record DoesNotCompile(IReadOnlyList<string> Errors) : GradeOutcome;

public sealed record Graded(Score Score) : GradeOutcome;

/// <summary>
/// Grades an implementation out of process: builds the hidden tests against it, reads the manifest
/// of graded tests from the built assembly, runs the tests stage by stage with a hard time bound,
/// and scores the TRX files.
/// </summary>
public static class HiddenTestRun
{
    public const string Project = "grader/PaxosLabs.HiddenTests/PaxosLabs.HiddenTests.csproj";

    /// <summary>A build that takes longer than this is stuck (an error of the machine, not a score).</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The built hidden-test assembly: Directory.Build.props puts the grader's projects under artifacts/&lt;Impl&gt;.</summary>
    public static string TestAssembly(string root, string implementation) =>
        Path.Combine(root, "artifacts", implementation, "bin", "PaxosLabs.HiddenTests", "debug", "PaxosLabs.HiddenTests.dll");

    public static GradeOutcome Run(GradeOptions options, TextWriter progress)
    {
        PrepareOutDirectory(options);

        progress.WriteLine($"building the hidden tests against {options.Implementation}/ ...");
        var build = ChildProcess.Run(
            Dotnet(),
            ["build", Project, $"-p:Impl={options.Implementation}", "-nologo", "-v:q"],
            options.Root,
            BuildTimeout,
            Path.Combine(options.LogDirectory, "build.log"),
            ChildEnvironment);
        if (build.TimedOut)
        {
            throw new GraderException(Invariant($"the build of the hidden tests did not finish within {BuildTimeout.TotalMinutes:0} min; see {Path.Combine(options.LogDirectory, "build.log")}"));
        }

        if (build.ExitCode != 0)
        {
            var errors = ErrorLines(build.Output, options.Root);
            return new DoesNotCompile(errors.Count > 0
                ? errors
                : [Invariant($"the build failed (exit code {build.ExitCode}) without a compiler error; see {Path.Combine(options.LogDirectory, "build.log")}")]);
        }

        var assembly = TestAssembly(options.Root, options.Implementation);
        if (!File.Exists(assembly))
        {
            throw new GraderException($"the build succeeded but {assembly} does not exist (has the artifacts layout in Directory.Build.props changed?)");
        }

        var manifest = Manifest.Read(assembly);
        if (manifest.Tests.Count == 0)
        {
            throw new GraderException($"{assembly} has no graded tests");
        }

        progress.WriteLine(Invariant($"{manifest.Tests.Count} graded tests, {manifest.MaxPoints} points, in stage(s) {string.Join(", ", manifest.Stages)}"));
        var results = new List<TestResult>();
        var timedOut = new HashSet<int>();
        foreach (var stage in manifest.Stages)
        {
            var run = RunStage(options, assembly, stage, progress);
            results.AddRange(run.Results);
            if (run.TimedOut)
            {
                timedOut.Add(stage);
            }
        }

        return new Graded(Scorer.Compute(manifest.Tests, results, timedOut));
    }

    /// <summary>
    /// The distinct lines of build output that report an error (contain <c>error </c>), trimmed, in
    /// order, with paths relative to <paramref name="root"/>.
    /// </summary>
    public static IReadOnlyList<string> ErrorLines(IEnumerable<string> output, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return
        [
            .. output.Where(l => l.Contains("error ", StringComparison.Ordinal))
                .Select(l => l.Trim().Replace(prefix, "", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal),
        ];
    }

    private sealed record StageRun(IReadOnlyList<TestResult> Results, bool TimedOut);

    private static StageRun RunStage(GradeOptions options, string assembly, int stage, TextWriter progress)
    {
        var name = Invariant($"stage-{stage}");
        var trx = Path.Combine(options.TrxDirectory, name + ".trx");
        var log = Path.Combine(options.LogDirectory, name + ".log");

        var session = SessionTimeout(options.StageTimeout);
        progress.Write(Invariant($"stage {stage}: running ... "));
        var run = ChildProcess.Run(
            Dotnet(),
            [
                "test", assembly,
                "--filter", Invariant($"Stage={stage}"),
                "--logger", $"trx;LogFileName={name}.trx",
                "--results-directory", options.TrxDirectory,
                "--", Invariant($"RunConfiguration.TestSessionTimeout={(long)session.TotalMilliseconds}"),
            ],
            options.Root,
            options.StageTimeout,
            log,
            ChildEnvironment);

        // Past the session timeout the runner aborts by itself; tests it did not report timed out.
        var timedOut = run.TimedOut || run.Elapsed >= session;
        progress.WriteLine(
            run.TimedOut ? Invariant($"killed at the time bound ({options.StageTimeout.TotalSeconds:0.#} s)")
            : timedOut ? Invariant($"ended at the runner's session timeout ({session.TotalSeconds:0.#} s)")
            : Invariant($"done in {run.Elapsed.TotalSeconds:0} s"));

        if (!File.Exists(trx))
        {
            progress.WriteLine($"stage {stage}: no results file ({trx}); see {log}");
            return new StageRun([], timedOut);
        }

        try
        {
            return new StageRun(TrxResults.Read(trx), timedOut);
        }
        catch (GraderException e)
        {
            progress.WriteLine($"stage {stage}: results file unreadable, counted as no results: {e.Message}");
            return new StageRun([], timedOut);
        }
    }

    /// <summary>
    /// The runner's own session timeout: it fires before the hard bound, so the runner can still
    /// write the results it has (10 % of the bound earlier, at least 5 s and at most 30 s, but never
    /// more than half the bound); the hard bound then kills whatever is left.
    /// </summary>
    public static TimeSpan SessionTimeout(TimeSpan stageTimeout)
    {
        var margin = TimeSpan.FromTicks(Math.Clamp(stageTimeout.Ticks / 10, TimeSpan.TicksPerSecond * 5, TimeSpan.TicksPerSecond * 30));
        margin = TimeSpan.FromTicks(Math.Min(margin.Ticks, stageTimeout.Ticks / 2));
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor((stageTimeout - margin).TotalMilliseconds)));
    }

    /// <summary>Creates the output folders and deletes what an earlier run left, so stale results never count.</summary>
    private static void PrepareOutDirectory(GradeOptions options)
    {
        Directory.CreateDirectory(options.TrxDirectory);
        Directory.CreateDirectory(options.LogDirectory);
        var stale = Directory.EnumerateFiles(options.TrxDirectory, "stage-*.trx")
            .Concat(Directory.EnumerateFiles(options.LogDirectory, "*.log"))
            .Concat([Path.Combine(options.OutDirectory, ScoreReport.MarkdownFile), Path.Combine(options.OutDirectory, ScoreReport.JsonFile)]);
        foreach (var file in stale.ToList())
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Children do not report telemetry or print banners, and the code under test cannot write to the
    /// GitHub step summary.
    /// </summary>
    private static readonly Dictionary<string, string?> ChildEnvironment = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["GITHUB_STEP_SUMMARY"] = null,
    };

    /// <summary>The dotnet host that runs this tool (or the SDK's), else <c>dotnet</c> on PATH.</summary>
    public static string Dotnet()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
