using System.Globalization;
using System.Text.RegularExpressions;
using static System.FormattableString;

namespace PaxosLabs.Grader.Grading;

/// <summary>What grading one implementation needs.</summary>
/// <param name="Root">The kit root.</param>
/// <param name="Implementation">The <c>Impl</c> build property: <c>solutions</c>, <c>skeletons</c> or the path of an overlaid tree.</param>
/// <param name="OutDirectory">Where trx/, logs/ and the reports go.</param>
/// <param name="StageTimeout">The hard bound of each stage's test runs, together.</param>
public sealed record GradeOptions(string Root, string Implementation, string OutDirectory, TimeSpan StageTimeout)
{
    /// <summary>The bound of one test: the test host is stopped when no test has finished for this long (<see cref="StageRunner"/>).</summary>
    public TimeSpan TestTimeout { get; init; } = DefaultTestTimeout;

    /// <summary>Generous for the slowest hidden test (a 500-seed simulation sweep) on a slow machine.</summary>
    public static readonly TimeSpan DefaultTestTimeout = TimeSpan.FromSeconds(120);

    public string TrxDirectory => Path.Combine(OutDirectory, "trx");

    public string LogDirectory => Path.Combine(OutDirectory, "logs");

    /// <summary>What the reports call the implementation (a student's name; by default <see cref="Implementation"/>).</summary>
    public string Label { get => field ?? Implementation; init; }

    /// <summary>
    /// A student's submission: a build that does not finish within <see cref="HiddenTestRun.BuildTimeout"/>
    /// is a result (it does not compile), not an error of the kit.
    /// </summary>
    public bool IsSubmission { get; init; }

    /// <summary>How compiler errors name the implementation's folder (for a submission, its folder as the student knows it, such as <c>src/</c>).</summary>
    public string? SourcePrefix { get; init; }

    /// <summary>Only these stages are run (null: every stage); the tests of the others are <see cref="TestOutcome.NotRun"/>.</summary>
    public IReadOnlySet<int>? Stages { get; init; }

    /// <summary>How the test host is kept apart (<see cref="TestSandbox"/>); <see cref="SandboxMode.Auto"/> until <see cref="HiddenTestRun.Run"/> resolves it.</summary>
    public SandboxMode Sandbox { get; init; } = SandboxMode.Auto;

    /// <summary>The bound of the build of the hidden tests; past it the submission is <see cref="NotGraded"/>.</summary>
    public TimeSpan BuildTimeout { get; init; } = HiddenTestRun.BuildTimeout;

    /// <summary>The dotnet that builds the hidden tests (tests give a stand-in).</summary>
    public string Dotnet { get; init; } = HiddenTestRun.Dotnet();
}

/// <summary>How grading ended: the hidden tests did not compile, a score, or it could not be graded.</summary>
public abstract record GradeOutcome;

/// <summary>
/// The machine, not the submission, stopped the grading: the build ran past its bound, or failed
/// without a compiler error (a restore failure, a full disk, a killed build). Never a score: grade
/// it again (a batch does so once, at its end).
/// </summary>
/// <param name="Why">What happened, with the log to look at.</param>
public sealed record NotGraded(string Why) : GradeOutcome;

/// <summary>The hidden tests do not build against the implementation.</summary>
/// <param name="Errors">The compiler's error lines (those containing <c>error </c>), each once.</param>
public sealed record DoesNotCompile(IReadOnlyList<string> Errors) : GradeOutcome;

/// <summary>A score.</summary>
/// <param name="Notes">What the result checks rejected or noticed, one line each (empty when all was in order).</param>
public sealed record Graded(Score Score, IReadOnlyList<string> Notes) : GradeOutcome;

/// <summary>
/// Grades an implementation out of process: builds the hidden tests against it, reads the manifest
/// of graded tests from the built assembly, runs the tests stage by stage with hard time bounds per
/// test and per stage (<see cref="StageRunner"/>), checks each run's TRX file (<see cref="ResultsCheck"/>)
/// and scores what passed the checks.
/// </summary>
public static partial class HiddenTestRun
{
    public const string Project = "grader/PaxosLabs.HiddenTests/PaxosLabs.HiddenTests.csproj";

    /// <summary>A build that takes longer than this is stuck (or the machine is overloaded): the default of <see cref="GradeOptions.BuildTimeout"/>.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Builds at once in this process (<c>grade --batch --jobs N</c>): one per two cores, at least one. A build uses several cores; more at once only make each slower.</summary>
    public static readonly int BuildSlots = Math.Max(1, Environment.ProcessorCount / 2);

    private static readonly SemaphoreSlim Builds = new(BuildSlots);

    /// <summary>
    /// What a finished build means. Success: null. A C# compiler error located in a source file
    /// (<c>A.cs(3,1): error CS1002</c>): <see cref="DoesNotCompile"/>, since the kit compiles with both the
    /// skeletons and the solutions, so only the submission's files (or a public signature it changed, in
    /// a file that calls it) can cause one. A build that ran past its bound or failed without such an
    /// error (restore, a full disk, a killed process): <see cref="NotGraded"/>.
    /// </summary>
    public static GradeOutcome? BuildFailure(ChildResult build, GradeOptions options, string buildLog)
    {
        if (build.TimedOut)
        {
            return new NotGraded(Invariant($"the build of the hidden tests did not finish within {Duration(options.BuildTimeout)} (the machine may be overloaded); see {buildLog}"));
        }

        if (build.ExitCode == 0)
        {
            return null;
        }

        var errors = ErrorLines(build.Output, options.Root, SourceFolder(options), options.SourcePrefix);
        if (errors.Any(e => CompilerError().IsMatch(e)))
        {
            return new DoesNotCompile(errors);
        }

        return new NotGraded(errors.Count > 0
            ? Invariant($"the build failed (exit code {build.ExitCode}) without a compiler error: {errors[0]}; see {buildLog}")
            : Invariant($"the build failed (exit code {build.ExitCode}) without an error line; see {buildLog}"));
    }

    private static string Duration(TimeSpan time) =>
        time.TotalMinutes >= 1 && time.Seconds == 0 ? Invariant($"{time.TotalMinutes:0} min") : Invariant($"{time.TotalSeconds:0.#} s");

    /// <summary>A C# compiler error located in a source file: <c>path.cs(line,column): error CSnnnn</c> (not <c>CSC : error CS2012</c>, a file the compiler could not write).</summary>
    [GeneratedRegex(@"\.cs\(\d+,\d+\): error CS[0-9]{4}\b")]
    private static partial Regex CompilerError();

    /// <summary>The built hidden-test assembly of <c>solutions</c> or <c>skeletons</c>: Directory.Build.props puts the grader's projects under artifacts/&lt;Impl&gt;.</summary>
    public static string TestAssembly(string root, string implementation) =>
        Path.Combine(root, "artifacts", implementation, "bin", "PaxosLabs.HiddenTests", "debug", "PaxosLabs.HiddenTests.dll");

    public static GradeOutcome Run(GradeOptions options, TextWriter progress)
    {
        PrepareOutDirectory(options);

        progress.WriteLine($"building the hidden tests against {options.Label} ...");
        var buildLog = Path.Combine(options.LogDirectory, "build.log");
        if (!Builds.Wait(0))
        {
            progress.WriteLine(Invariant($"waiting for one of the {BuildSlots} build slot(s) (builds at once would starve each other) ..."));
            Builds.Wait();
        }

        ChildResult build;
        try
        {
            build = ChildProcess.Run(
                options.Dotnet,
                ["build", Project, $"-p:Impl={options.Implementation}", "-nologo", "-v:q"],
                options.Root,
                options.BuildTimeout,
                buildLog,
                ChildEnvironments.Build);
        }
        finally
        {
            Builds.Release();
        }

        if (BuildFailure(build, options, buildLog) is { } failure)
        {
            return failure;
        }

        var assembly = LocateTestAssembly(options);
        var manifest = Manifest.Read(assembly);
        if (manifest.Tests.Count == 0)
        {
            throw new GraderException($"{assembly} has no graded tests");
        }

        progress.WriteLine(Invariant($"{manifest.Tests.Count} graded tests, {manifest.MaxPoints} points, in stage(s) {string.Join(", ", manifest.Stages)}"));
        var notes = new List<string>();
        var (sandbox, sandboxNote) = SandboxSupport.Resolve(options.Sandbox);
        if (sandboxNote is not null)
        {
            notes.Add(sandboxNote);
            progress.WriteLine(sandboxNote);
        }

        options = options with { Sandbox = sandbox };
        var binDirectory = Path.GetDirectoryName(assembly)!;
        var fingerprint = OutputFingerprint.Of(binDirectory);
        var results = new List<TestResult>();
        var timedOut = new HashSet<int>();
        var stopped = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        var elapsed = new Dictionary<int, (DateTimeOffset Started, TimeSpan Elapsed)>();
        foreach (var stage in manifest.Stages.Where(s => options.Stages?.Contains(s) ?? true))
        {
            if (OutputFingerprint.Of(binDirectory) != fingerprint)
            {
                notes.Add(Invariant($"the hidden tests' build output changed during an earlier stage's run: stage {stage} and later were not run"));
                progress.WriteLine(notes[^1]);
                break;
            }

            var started = DateTimeOffset.UtcNow;
            var run = StageRunner.Run(options, assembly, stage, [.. manifest.Tests.Where(t => t.Stage == stage)], progress);
            results.AddRange(run.Results);
            elapsed[stage] = (started, run.Elapsed);
            notes.AddRange(run.Problems.Select(p => Invariant($"stage {stage}: {p}")));
            foreach (var (name, outcome) in run.Stopped)
            {
                stopped[name] = outcome;
            }

            if (run.TimedOut)
            {
                timedOut.Add(stage);
            }
        }

        var score = Scorer.Compute(manifest.Tests, results, timedOut, stopped);
        return new Graded(score with
        {
            Stages = [.. score.Stages.Select(s => elapsed.TryGetValue(s.Stage, out var run) ? s with { Started = run.Started, Elapsed = run.Elapsed } : s)],
        }, notes);
    }

    /// <summary>
    /// The distinct lines of build output that report an error (contain <c>error </c>), trimmed, in
    /// order, with paths relative to <paramref name="root"/>; paths in <paramref name="sourceFolder"/>
    /// are shown as <paramref name="sourcePrefix"/> followed by the path inside it.
    /// </summary>
    public static IReadOnlyList<string> ErrorLines(IEnumerable<string> output, string root, string? sourceFolder = null, string? sourcePrefix = null)
    {
        var prefix = WithSeparator(root);
        var source = sourceFolder is null ? null : WithSeparator(sourceFolder);
        return
        [
            .. output.Where(l => l.Contains("error ", StringComparison.Ordinal))
                .Select(l => l.Trim())
                .Select(l => source is null ? l : l.Replace(source, sourcePrefix ?? "", StringComparison.Ordinal))
                .Select(l => l.Replace(prefix, "", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal),
        ];
    }

    private static string WithSeparator(string directory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;

    private static string? SourceFolder(GradeOptions options) =>
        options.SourcePrefix is null ? null : Path.GetFullPath(options.Implementation, options.Root);

    /// <summary>
    /// The built hidden-test assembly. For <c>solutions</c> and <c>skeletons</c> its place is known;
    /// for an overlaid tree the artifacts folder has a key MSBuild derives from the path, so MSBuild is asked.
    /// </summary>
    private static string LocateTestAssembly(GradeOptions options)
    {
        var assembly = options.Implementation is "solutions" or "skeletons"
            ? TestAssembly(options.Root, options.Implementation)
            : EvaluateTargetPath(options);
        return File.Exists(assembly)
            ? assembly
            : throw new GraderException($"the build succeeded but {assembly} does not exist (has the artifacts layout in Directory.Build.props changed?)");
    }

    private static string EvaluateTargetPath(GradeOptions options)
    {
        var evaluation = ChildProcess.Run(
            Dotnet(),
            ["msbuild", Project, "-getProperty:TargetPath", $"-p:Impl={options.Implementation}", "-nologo"],
            options.Root,
            TimeSpan.FromMinutes(2),
            environment: ChildEnvironments.Build);
        var path = evaluation.Output.Select(l => l.Trim()).LastOrDefault(l => l.EndsWith(".dll", StringComparison.Ordinal));
        return evaluation.ExitCode == 0 && path is not null
            ? path
            : throw new GraderException($"cannot find the hidden tests' assembly for {options.Implementation}: {string.Join(" ", evaluation.Output)}");
    }

    /// <summary>
    /// The folder of the hidden tests' build output for an implementation (artifacts/&lt;key&gt;), or
    /// null when it cannot be determined. Grading a batch deletes it after each submission.
    /// </summary>
    public static string? ArtifactsFolder(GradeOptions options)
    {
        try
        {
            var assembly = EvaluateTargetPath(options);
            var artifacts = WithSeparator(Path.Combine(options.Root, "artifacts"));
            return assembly.StartsWith(artifacts, StringComparison.Ordinal)
                ? Path.Combine(artifacts, assembly[artifacts.Length..].Split(Path.DirectorySeparatorChar)[0])
                : null;
        }
        catch (GraderException)
        {
            return null;
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
}
