using System.Globalization;

namespace PaxosLabs.Grader.Grading;

/// <summary>The results of one stage that passed the checks, and what the checks rejected.</summary>
/// <param name="Results">Only results of expected tests, at most as many as each test can have.</param>
/// <param name="Problems">One line per rejected file or result, for the report.</param>
public sealed record CheckedResults(IReadOnlyList<TestResult> Results, IReadOnlyList<string> Problems)
{
    public static CheckedResults Rejected(string problem) => new([], [problem]);
}

/// <summary>
/// Checks a stage's results file before it is scored, because the code under test runs as the same
/// user as the grader and could try to forge it: the file must not be newer than the moment the
/// test process exited, must not change while it is read, and may only report the hidden tests of
/// that stage, each at most as often as it can have results. Whatever fails a check counts as not run.
/// </summary>
public static class ResultsCheck
{
    /// <summary>How much newer than the test process's exit the file may be (file-system clock granularity).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads and checks the TRX file at <paramref name="trxPath"/>.</summary>
    /// <param name="exitedAtUtc">When the test process exited or was killed.</param>
    /// <param name="expected">The manifest's tests of the stage that was run.</param>
    public static CheckedResults Verify(string trxPath, DateTime exitedAtUtc, IReadOnlyCollection<ManifestTest> expected)
    {
        var before = new FileInfo(trxPath);
        if (!before.Exists)
        {
            return CheckedResults.Rejected("no results file: the test run wrote none (see the stage's log)");
        }

        if (WrittenAfterExit(before.LastWriteTimeUtc, exitedAtUtc) is { } late)
        {
            return CheckedResults.Rejected(late);
        }

        var text = File.ReadAllText(trxPath);
        var after = new FileInfo(trxPath);
        if (after.LastWriteTimeUtc != before.LastWriteTimeUtc || after.Length != before.Length)
        {
            return CheckedResults.Rejected("the results file changed while the grader read it after the test process had exited: rejected");
        }

        IReadOnlyList<TestResult> results;
        try
        {
            results = TrxResults.Parse(text);
        }
        catch (GraderException e)
        {
            return CheckedResults.Rejected($"the results file is unreadable ({e.Message}): rejected");
        }

        return Filter(results, expected);
    }

    /// <summary>The problem when a file last written at <paramref name="lastWriteUtc"/> is newer than the exit; null when it is not.</summary>
    public static string? WrittenAfterExit(DateTime lastWriteUtc, DateTime exitedAtUtc)
    {
        var late = lastWriteUtc - exitedAtUtc;
        return late > Tolerance
            ? string.Create(CultureInfo.InvariantCulture, $"the results file was written {late.TotalMilliseconds:0} ms after the test process exited (by a process it left behind): rejected")
            : null;
    }

    /// <summary>
    /// Keeps the results of <paramref name="expected"/> tests only: results of other tests are dropped,
    /// and a test with more results than it can have (a fact with two, a theory with more than its
    /// inline cases) loses all of them. Pure.
    /// </summary>
    public static CheckedResults Filter(IReadOnlyList<TestResult> results, IReadOnlyCollection<ManifestTest> expected)
    {
        var byName = expected.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();

        var unknown = results.Where(r => !byName.ContainsKey(r.Name)).Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the results file reports {unknown.Count} test(s) that are not hidden tests of this run (such as {unknown[0]}): ignored"));
        }

        var kept = new List<TestResult>();
        foreach (var group in results.Where(r => byName.ContainsKey(r.Name)).GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var test = byName[group.Key];
            var count = group.Count();
            var limit = test.IsTheory ? test.Cases : 1;
            if (count > limit)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the results file reports {test.Name} {count} times, more than the {limit} it can have: counted as not run"));
                continue;
            }

            // A passed result never carries a failure message: one that does was rewritten after the run.
            var rewritten = group.FirstOrDefault(r => r.Passed && !string.IsNullOrWhiteSpace(r.Message));
            if (rewritten is not null)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the results file reports {test.Name} as passed with a failure message ({Shorten(rewritten.Message!)}), so it was rewritten: counted as failed"));
                kept.AddRange(group.Select(r => r.Passed && !string.IsNullOrWhiteSpace(r.Message) ? r with { Outcome = "Failed" } : r));
                continue;
            }

            kept.AddRange(group);
        }

        return new CheckedResults(kept, problems);
    }

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 80 ? $"'{line}'" : $"'{line[..77]}...'";
    }
}
