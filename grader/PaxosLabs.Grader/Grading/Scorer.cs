using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Grading;

/// <summary>What became of one graded test.</summary>
public enum TestOutcome
{
    /// <summary>Every result passed (and, for a theory with a known number of cases, every case ran).</summary>
    Passed,

    /// <summary>Some result did not pass (failed, skipped, aborted, …).</summary>
    Failed,

    /// <summary>No (complete) result: no test finished for the per-test bound while it ran, or its stage was stopped at the stage bound.</summary>
    TimedOut,

    /// <summary>No (complete) result: the test host died while it ran (a stack overflow, <c>Environment.Exit</c>, …).</summary>
    Crashed,

    /// <summary>No (complete) result, though its stage ended by itself (for example, the test host crashed).</summary>
    NotRun,
}

/// <summary>One graded test with its outcome and the points it earned (all of them or none).</summary>
/// <param name="Message">The runner's message of its first result that did not pass, if any.</param>
public sealed record TestScore(ManifestTest Test, TestOutcome Outcome, int Results, string? Message = null)
{
    public int Earned => Outcome == TestOutcome.Passed ? Test.Points : 0;

    /// <summary>The runner's time for its results (all cases of a theory); zero without results.</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>The tests of one task.</summary>
public sealed record TaskScore(TaskId Task, IReadOnlyList<TestScore> Tests)
{
    public int Passed => Tests.Count(t => t.Outcome == TestOutcome.Passed);

    public int Earned => Tests.Sum(t => t.Earned);

    public int Possible => Tests.Sum(t => t.Test.Points);
}

/// <summary>The tasks of one stage.</summary>
/// <param name="TimedOut">Its runs were stopped at the stage bound before all of its tests reported.</param>
public sealed record StageScore(int Stage, IReadOnlyList<TaskScore> Tasks, bool TimedOut = false)
{
    /// <summary>The wall time of the stage's test runs (build excluded); zero when not measured.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>When its first test run started; null when it did not run.</summary>
    public DateTimeOffset? Started { get; init; }

    public int Passed => Tasks.Sum(t => t.Passed);

    public int Tests => Tasks.Sum(t => t.Tests.Count);

    public int Earned => Tasks.Sum(t => t.Earned);

    public int Possible => Tasks.Sum(t => t.Possible);
}

/// <summary>The whole score, stage by stage.</summary>
public sealed record Score(IReadOnlyList<StageScore> Stages)
{
    public IEnumerable<TestScore> Tests => Stages.SelectMany(s => s.Tasks).SelectMany(t => t.Tests);

    public int Passed => Stages.Sum(s => s.Passed);

    public int TestCount => Stages.Sum(s => s.Tests);

    public int Total => Stages.Sum(s => s.Earned);

    public int Max => Stages.Sum(s => s.Possible);
}

/// <summary>Scores a manifest against test results. Pure: no files, no processes.</summary>
public static class Scorer
{
    /// <param name="manifest">The graded tests; only these can earn points (other results are ignored).</param>
    /// <param name="results">Every result read from the TRX files, by <c>Namespace.Class.Method</c>.</param>
    /// <param name="timedOutStages">The stages whose runs were stopped at the stage bound.</param>
    /// <param name="stopped">Tests charged with stopping a run (<see cref="TestOutcome.TimedOut"/> or <see cref="TestOutcome.Crashed"/>).</param>
    public static Score Compute(IEnumerable<ManifestTest> manifest, IEnumerable<TestResult> results, IReadOnlySet<int> timedOutStages, IReadOnlyDictionary<string, TestOutcome>? stopped = null)
    {
        var byName = results.ToLookup(r => r.Name, StringComparer.Ordinal);
        var stages = manifest
            .Select(test => Judge(test, byName[test.Name].ToList(), Missing(test, timedOutStages, stopped)))
            .GroupBy(t => t.Test.Stage)
            .OrderBy(g => g.Key)
            .Select(stage => new StageScore(
                stage.Key,
                [
                    .. stage.GroupBy(t => t.Test.Task)
                        .OrderBy(g => g.Key)
                        .Select(task => new TaskScore(task.Key, [.. task.OrderBy(t => t.Test.Name, StringComparer.Ordinal)])),
                ],
                timedOutStages.Contains(stage.Key)));
        return new Score([.. stages]);
    }

    /// <summary>
    /// What a test without a (complete) result became: charged with stopping a run, else timed out
    /// with its stage, else not run. Never <see cref="TestOutcome.Passed"/>: a test earns points only
    /// from passing results.
    /// </summary>
    private static TestOutcome Missing(ManifestTest test, IReadOnlySet<int> timedOutStages, IReadOnlyDictionary<string, TestOutcome>? stopped) =>
        stopped is not null && stopped.TryGetValue(test.Name, out var charged) && charged is TestOutcome.TimedOut or TestOutcome.Crashed ? charged
        : timedOutStages.Contains(test.Stage) ? TestOutcome.TimedOut
        : TestOutcome.NotRun;

    /// <param name="missing">What a test without a (complete) result became.</param>
    private static TestScore Judge(ManifestTest test, List<TestResult> results, TestOutcome missing)
    {
        var outcome = results switch
        {
            [] => missing,
            _ when results.Any(r => !r.Passed) => TestOutcome.Failed,
            _ when test.Cases is { } cases && results.Count < cases => missing, // some theory cases never reported
            _ => TestOutcome.Passed,
        };
        var message = results.FirstOrDefault(r => !r.Passed && !string.IsNullOrEmpty(r.Message))?.Message;
        return new TestScore(test, outcome, results.Count, message) { Duration = results.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration) };
    }
}
