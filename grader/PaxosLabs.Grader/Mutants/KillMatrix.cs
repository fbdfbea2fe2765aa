using System.Globalization;
using System.Text;
using PaxosLabs.Grader.Grading;
using static System.FormattableString;

namespace PaxosLabs.Grader.Mutants;

/// <summary>How a mutant fared against its stage's hidden tests.</summary>
public enum MutantStatus
{
    /// <summary>At least one hidden test of its stage did not pass.</summary>
    Killed,

    /// <summary>Every hidden test of its stage passed: the tests miss this mistake.</summary>
    Survived,

    /// <summary>The mutated implementation does not compile, so it proves nothing.</summary>
    DoesNotCompile,

    /// <summary>The machine stopped its grading (a build past its bound): it proves nothing; grade it again.</summary>
    NotGraded,
}

/// <summary>A hidden test that did not pass on a mutant, with the first line of its message.</summary>
public sealed record Kill(string Test, TestOutcome Outcome, string? FirstLine);

/// <summary>One row of the kill matrix.</summary>
public sealed record MutantVerdict(Mutant Mutant, MutantStatus Status, IReadOnlyList<Kill> Kills, TimeSpan Elapsed, string? Detail = null);

/// <summary>The kill matrix: which hidden tests of each mutant's stage failed on it. Pure; no files, no processes.</summary>
public static class KillMatrix
{
    public const string MarkdownFile = "mutants.md";

    /// <summary>The verdict for a mutant from the outcome of grading it (only its stage's tests count).</summary>
    public static MutantVerdict Judge(Mutant mutant, GradeOutcome outcome, TimeSpan elapsed) => outcome switch
    {
        DoesNotCompile d => new MutantVerdict(mutant, MutantStatus.DoesNotCompile, [], elapsed, d.Errors.FirstOrDefault()),
        NotGraded n => new MutantVerdict(mutant, MutantStatus.NotGraded, [], elapsed, n.Why),
        Graded g => Kills(mutant, g.Score) is { Count: > 0 } kills
            ? new MutantVerdict(mutant, MutantStatus.Killed, kills, elapsed)
            : new MutantVerdict(mutant, MutantStatus.Survived, [], elapsed, g.Notes.FirstOrDefault()),
        _ => throw new InvalidOperationException("unknown grading outcome"),
    };

    /// <summary>The first non-blank line of a failure message.</summary>
    public static string? FirstLine(string? message) =>
        message?.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);

    /// <summary>One line per mutant, the tests that killed it below it, and a summary line last.</summary>
    public static void WriteConsole(IReadOnlyList<MutantVerdict> verdicts, TextWriter output)
    {
        foreach (var v in verdicts)
        {
            output.WriteLine(Invariant($"{Label(v.Status),-16} {v.Mutant.Id} ({v.Mutant.Task}, {v.Elapsed.TotalSeconds:0} s): {v.Mutant.Description}"));
            foreach (var kill in v.Kills)
            {
                output.WriteLine($"    {ShortName(kill.Test)} [{Outcome(kill.Outcome)}] {kill.FirstLine}");
            }

            if (v.Detail is not null)
            {
                output.WriteLine($"    {v.Detail}");
            }
        }

        output.WriteLine(Summary(verdicts));
    }

    /// <summary>The matrix as Markdown: a summary table, then every mutant with the tests that killed it.</summary>
    /// <param name="planned">How many mutants the run will grade; fewer verdicts mean the run is still going (or was stopped).</param>
    public static string Markdown(IReadOnlyList<MutantVerdict> verdicts, DateTimeOffset when, TimeSpan wall, int? planned = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# Mutant bank: kill matrix").AppendLine();
        var unfinished = planned > verdicts.Count ? Invariant($" ({verdicts.Count} of {planned} mutants graded so far)") : "";
        text.AppendLine(Invariant($"{when:yyyy-MM-dd HH:mm} UTC, wall time {wall.TotalMinutes:0.0} min. {Summary(verdicts)}{unfinished}")).AppendLine();
        text.AppendLine("| mutant | task | status | killed by | rule |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var v in verdicts)
        {
            var by = v.Kills.Count == 0 ? "—" : string.Join(", ", v.Kills.Select(k => ShortName(k.Test)));
            text.AppendLine($"| `{v.Mutant.Id}` | {v.Mutant.Task} | {Label(v.Status)} | {Cell(by)} | {Cell(v.Mutant.Rule)} |");
        }

        text.AppendLine();
        foreach (var v in verdicts)
        {
            text.AppendLine($"## `{v.Mutant.Id}` — {Label(v.Status)}").AppendLine();
            text.AppendLine($"{v.Mutant.Description} (`{v.Mutant.File}`, task {v.Mutant.Task}; {v.Mutant.Rule})").AppendLine();
            foreach (var kill in v.Kills)
            {
                text.AppendLine($"- `{ShortName(kill.Test)}` ({Outcome(kill.Outcome)}): {Cell(kill.FirstLine ?? "")}");
            }

            if (v.Detail is not null)
            {
                text.AppendLine($"- {Cell(v.Detail)}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary><c>mutants: K killed, S survived, C do not compile</c> (and <c>, N not graded</c> when the machine stopped some; CI reads this line).</summary>
    public static string Summary(IReadOnlyList<MutantVerdict> verdicts)
    {
        var notGraded = verdicts.Count(v => v.Status == MutantStatus.NotGraded);
        return Invariant(
            $"mutants: {verdicts.Count(v => v.Status == MutantStatus.Killed)} killed, {verdicts.Count(v => v.Status == MutantStatus.Survived)} survived, {verdicts.Count(v => v.Status == MutantStatus.DoesNotCompile)} do not compile{(notGraded > 0 ? $", {notGraded} not graded" : "")}");
    }

    /// <summary>The stage's tests that did not pass: failed, timed out or not run all cost a student the points.</summary>
    private static List<Kill> Kills(Mutant mutant, Score score) =>
    [
        .. score.Tests
            .Where(t => t.Test.Stage == mutant.Stage && t.Outcome != TestOutcome.Passed)
            .Select(t => new Kill(t.Test.Name, t.Outcome, FirstLine(t.Message))),
    ];

    private static string Label(MutantStatus status) => status switch
    {
        MutantStatus.Killed => "killed",
        MutantStatus.Survived => "SURVIVED",
        MutantStatus.NotGraded => "NOT GRADED",
        _ => "DOES NOT COMPILE",
    };

    private static string Outcome(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Failed => "failed",
        TestOutcome.TimedOut => "timed out",
        _ => "not run",
    };

    /// <summary><c>Class.Method</c>: the namespace says only which stage, which the mutant's task already says.</summary>
    private static string ShortName(string test)
    {
        var parts = test.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : test;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
