using System.Diagnostics;
using System.Globalization;
using System.Security;
using static System.FormattableString;

namespace PaxosLabs.Grader.Grading;

/// <summary>How one stage's run ended.</summary>
/// <param name="Results">The checked results of the stage's tests (for a test run again, those of its last run).</param>
/// <param name="Problems">What the result checks rejected, one line each.</param>
/// <param name="Stopped">Tests charged with ending a run: timed out (no test finished for the per-test bound while they ran) or crashed (the test host died while they ran).</param>
/// <param name="TimedOut">The stage bound ended the run before every test had a result.</param>
/// <param name="Elapsed">The wall time of all the stage's runs.</param>
public sealed record StageOutcome(IReadOnlyList<TestResult> Results, IReadOnlyList<string> Problems, IReadOnlyDictionary<string, TestOutcome> Stopped, bool TimedOut, TimeSpan Elapsed);

/// <summary>What <see cref="StageRunner"/> does after a run that ended before the stage bound.</summary>
public enum StageStep
{
    /// <summary>Every test has a result or a charge.</summary>
    Done,

    /// <summary>Charge the tests that were running (timed out, or crashed), then run the others left.</summary>
    Charge,

    /// <summary>The host died while several tests ran: run the tests left again, one at a time.</summary>
    RunOneAtATime,

    /// <summary>The host ended while no test ran, after reporting some: run the tests it never started.</summary>
    RunNotStarted,

    /// <summary>The host ended while no test ran and completed none: the tests left count as not run.</summary>
    GiveUp,
}

/// <summary>
/// Runs one stage's hidden tests out of process within two bounds, so a hang or a crash costs only
/// the tests it touches. <b>Per test</b>: the runner's blame collector ends the test host when no test
/// has finished for <see cref="GradeOptions.TestTimeout"/>; the tests its sequence file shows as still
/// running are charged (timed out, or crashed when the host died by itself: a stack overflow,
/// <c>Environment.Exit</c>), and the stage's other tests without a result run again in a new host. When
/// several tests were running at a crash, the rest runs one test at a time, so the next crash names
/// one test. <b>Per stage</b>: every run of the stage shares <see cref="GradeOptions.StageTimeout"/>; what has
/// no result at its end has timed out.
/// </summary>
public static class StageRunner
{
    /// <summary>How the notes begin when a test host died before it ran any test of its run (the tests left then count as not run).</summary>
    public const string EndedBeforeAnyTest = "the test host ended before it ran any";

    /// <summary>A new run needs at least this much of the stage bound to be worth starting.</summary>
    private static readonly TimeSpan MinimumRun = TimeSpan.FromSeconds(5);

    public static StageOutcome Run(GradeOptions options, string assembly, int stage, IReadOnlyCollection<ManifestTest> expected, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var results = new Dictionary<string, List<TestResult>>(StringComparer.Ordinal);
        var stopped = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        var problems = new List<string>();
        var oneAtATime = false;
        var retriedAlone = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var remaining = expected.Where(t => !HasResult(t, results) && !stopped.ContainsKey(t.Name)).ToList();
            var left = options.StageTimeout - clock.Elapsed;
            if (remaining.Count == 0 || (attempt > 1 && left < MinimumRun))
            {
                return Outcome(timedOut: remaining.Count > 0);
            }

            var run = RunOnce(options, assembly, stage, attempt, remaining, oneAtATime, left, progress);
            foreach (var group in run.Checked.Results.GroupBy(r => r.Name, StringComparer.Ordinal))
            {
                results[group.Key] = [.. group];
            }

            problems.AddRange(run.Checked.Problems);
            if (run.StageBoundReached)
            {
                return Outcome(timedOut: true);
            }

            var running = run.Unfinished.Where(name => remaining.Any(t => t.Name == name)).ToList();
            var notStarted = remaining.Count(t => !HasResult(t, results) && !running.Contains(t.Name));
            var completed = remaining.Count(t => HasResult(t, results));
            switch (Next(running.Count, run.Hung, oneAtATime, notStarted, completed))
            {
                case StageStep.Done:
                    return Outcome(timedOut: false);
                case StageStep.GiveUp:
                    problems.Add(Invariant($"{EndedBeforeAnyTest} of the {notStarted} test(s) left (see the stage's log): they count as not run"));
                    progress.WriteLine($"stage {stage}: {problems[^1]}");
                    return Outcome(timedOut: false);
                case StageStep.RunNotStarted:
                    progress.WriteLine(Invariant($"stage {stage}: the test host ended between tests; the {notStarted} test(s) it had not started run again"));
                    break;
                case StageStep.RunOneAtATime:
                    oneAtATime = true;
                    progress.WriteLine(Invariant($"stage {stage}: the test host died while {running.Count} tests ran; the tests left run again one at a time"));
                    break;
                case StageStep.Charge when run.Hung && RetryAlone(running, retriedAlone, LoadAverage(), Environment.ProcessorCount) is { } load:
                    // On an overloaded machine a slow test looks like a hang: before charging, run it
                    // again with nothing beside it; a second timeout is charged whatever the load.
                    oneAtATime = true;
                    retriedAlone.UnionWith(running);
                    problems.Add(Invariant($"{string.Join(", ", running.Select(Reports.TestOutput.ShortName))} timed out while the machine was overloaded (load {load:0.#} on {Environment.ProcessorCount} core(s)): run again alone before charging"));
                    progress.WriteLine($"stage {stage}: {problems[^1]}");
                    break;
                case StageStep.Charge:
                    var charge = run.Hung ? TestOutcome.TimedOut : TestOutcome.Crashed;
                    foreach (var name in running)
                    {
                        stopped[name] = charge;
                        progress.WriteLine(Invariant($"stage {stage}: {name} {(run.Hung ? $"timed out (no test finished for {options.TestTimeout.TotalSeconds:0.#} s)" : "crashed the test host")}; the tests left run again"));
                    }

                    break;
            }
        }

        StageOutcome Outcome(bool timedOut) => new([.. results.Values.SelectMany(r => r)], problems, stopped, timedOut, clock.Elapsed);
    }

    /// <summary>
    /// Whether <paramref name="test"/> needs no further run: it has a failed result, or a passing
    /// result for each of its cases. A theory whose host died after some of its cases reported has
    /// not: it runs again whole (the new run's results replace the partial ones), and only a test
    /// charged with the death is not run again. Pure.
    /// </summary>
    public static bool HasResult(ManifestTest test, IReadOnlyDictionary<string, List<TestResult>> results) =>
        results.TryGetValue(test.Name, out var reported) && reported.Count > 0
        && (reported.Any(r => !r.Passed) || test.Cases is not { } cases || reported.Count >= cases);

    /// <summary>A machine whose load average is above this many runnable processes per core is overloaded: a test may time out there without hanging.</summary>
    public const int OverloadPerCore = 8;

    /// <summary>
    /// Whether the tests that timed out should run again alone before they are charged: the machine
    /// was overloaded (<paramref name="load"/> above <see cref="OverloadPerCore"/> per core) and none of
    /// them has had that second run. Returns the load when so, else null. Pure.
    /// </summary>
    public static double? RetryAlone(IReadOnlyCollection<string> timedOut, IReadOnlySet<string> retried, double? load, int cores) =>
        load is { } l && l > OverloadPerCore * Math.Max(1, cores) && timedOut.Count > 0 && !timedOut.Any(retried.Contains) ? l : null;

    /// <summary>The one-minute load average (Linux), or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// What follows a run that ended before the stage bound, with <paramref name="running"/> tests
    /// unfinished (the blame sequence), <paramref name="notStarted"/> tests left that never started,
    /// and <paramref name="reported"/> tests the run completed (a theory: every case). With no test running, the host
    /// ran them all, or it died between two tests (or before the first): what never started runs
    /// again while each run gets further. A stop at the per-test bound charges every test still
    /// running: the bound counts from the last test that finished, and each running test started no
    /// later than that, so each ran past the bound. A crash only names the tests that shared the dying
    /// host: those run again one at a time, so the next crash names one test. Pure.
    /// </summary>
    public static StageStep Next(int running, bool hung, bool oneAtATime, int notStarted, int reported) =>
        running == 0
            ? notStarted == 0 ? StageStep.Done : reported > 0 ? StageStep.RunNotStarted : StageStep.GiveUp
            : !hung && running > 1 && !oneAtATime ? StageStep.RunOneAtATime : StageStep.Charge;

    /// <param name="Checked">The run's results that passed the checks.</param>
    /// <param name="Unfinished">Tests the blame sequence shows as started and not finished: the host was stopped while they ran.</param>
    /// <param name="Hung">The blame collector stopped the host at the per-test bound (else it died by itself).</param>
    /// <param name="StageBoundReached">The run was killed at, or ended by the runner at, what was left of the stage bound.</param>
    private sealed record SingleRun(CheckedResults Checked, IReadOnlyList<string> Unfinished, bool Hung, bool StageBoundReached);

    /// <summary>
    /// One <c>dotnet test</c> of the stage (the first) or of its <paramref name="tests"/> left (the ones
    /// after), in a sandbox of its own (<see cref="TestSandbox"/>): a fresh copy of the build output, a
    /// fresh working folder, and a results folder the test host cannot write where the grader can
    /// isolate it. The TRX file is checked there against <paramref name="tests"/>, and only then copied
    /// to trx/ for the record.
    /// </summary>
    private static SingleRun RunOnce(GradeOptions options, string assembly, int stage, int attempt, IReadOnlyCollection<ManifestTest> tests, bool oneAtATime, TimeSpan bound, TextWriter progress)
    {
        var name = attempt == 1 ? Invariant($"stage-{stage}") : Invariant($"stage-{stage}-run-{attempt}");
        var log = Path.Combine(options.LogDirectory, name + ".log");
        using var sandbox = TestSandbox.Create(options.Sandbox, Path.GetDirectoryName(assembly)!, Path.GetFileName(assembly));
        var session = HiddenTestRun.SessionTimeout(bound);
        var settings = Path.Combine(sandbox.ResultsDirectory, "grading.runsettings");
        File.WriteAllText(settings, RunSettings(session, options.TestTimeout, oneAtATime, sandbox.HostPath));
        progress.Write(attempt == 1
            ? Invariant($"stage {stage}: running ... ")
            : Invariant($"stage {stage}: running the {tests.Count} test(s) left{(oneAtATime ? ", one at a time" : "")} ... "));
        var (runner, arguments) = sandbox.Runner(
        [
            "test", sandbox.Assembly,
            "--filter", Filter(stage, attempt == 1 ? null : tests),
            "--settings", settings,
            "--logger", $"trx;LogFileName={name}.trx",
            "--results-directory", sandbox.ResultsDirectory,
        ]);
        var run = ChildProcess.Run(
            runner,
            arguments,
            sandbox.ResultsDirectory,
            bound,
            log,
            sandbox.RunnerEnvironment);
        var leftovers = sandbox.EndProcesses();

        // Past the session timeout the runner aborts by itself; tests it did not report timed out.
        var stageBound = run.TimedOut || run.Elapsed >= session;
        progress.WriteLine(
            run.TimedOut ? Invariant($"killed at the time bound ({options.StageTimeout.TotalSeconds:0.#} s)")
            : stageBound ? Invariant($"ended at the runner's session timeout ({session.TotalSeconds:0.#} s)")
            : Invariant($"done in {run.Elapsed.TotalSeconds:0} s"));

        var trx = Path.Combine(sandbox.ResultsDirectory, name + ".trx");
        var verified = ResultsCheck.Verify(trx, run.ExitedAtUtc, tests);
        if (leftovers > 0)
        {
            verified = verified with { Problems = [.. verified.Problems, Invariant($"{leftovers} process(es) left behind by the test run were killed")] };
        }

        if (File.Exists(trx))
        {
            File.Copy(trx, Path.Combine(options.TrxDirectory, name + ".trx"), overwrite: true);
        }

        foreach (var problem in verified.Problems)
        {
            progress.WriteLine($"stage {stage}: {problem}");
        }

        var hung = run.Output.Any(l => l.Contains(HangMessage, StringComparison.Ordinal));
        return new SingleRun(verified, BlameSequence.Unfinished(sandbox.ResultsDirectory), hung, stageBound);
    }

    /// <summary>What the runner prints when its blame collector stops a test host at the per-test bound.</summary>
    private const string HangMessage = "The specified inactivity time of";

    /// <summary>The stage's tests, or only <paramref name="only"/> of them (a VSTest filter expression).</summary>
    public static string Filter(int stage, IReadOnlyCollection<ManifestTest>? only) =>
        only is null
            ? Invariant($"Stage={stage}")
            : Invariant($"Stage={stage}&({string.Join('|', only.Select(t => $"FullyQualifiedName={t.Name}"))})");

    /// <summary>
    /// The run's settings: the runner's session timeout, the host script that starts the test host
    /// (when there is one), the blame collector's per-test bound (the host is ended without a dump)
    /// and, after a stop that named several tests, one test at a time.
    /// </summary>
    public static string RunSettings(TimeSpan session, TimeSpan testTimeout, bool oneAtATime, string? hostPath = null) => Invariant($"""
        <RunSettings>
          <RunConfiguration>
            <TestSessionTimeout>{(long)session.TotalMilliseconds}</TestSessionTimeout>{(hostPath is null ? "" : $"\n    <DotNetHostPath>{SecurityElement.Escape(hostPath)}</DotNetHostPath>")}
          </RunConfiguration>
          <DataCollectionRunSettings>
            <DataCollectors>
              <DataCollector friendlyName="blame" enabled="True">
                <Configuration>
                  <CollectDumpOnTestSessionHang TestTimeout="{(long)testTimeout.TotalMilliseconds}" HangDumpType="None" />
                </Configuration>
              </DataCollector>
            </DataCollectors>
          </DataCollectionRunSettings>
          <xUnit>
            <ParallelizeTestCollections>{(oneAtATime ? "false" : "true")}</ParallelizeTestCollections>
          </xUnit>
        </RunSettings>
        """);
}
