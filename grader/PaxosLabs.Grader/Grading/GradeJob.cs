using System.Diagnostics;
using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Grading;

/// <summary>What to grade and how.</summary>
/// <param name="Root">The kit root.</param>
/// <param name="Target"><c>solutions</c>, <c>skeletons</c> (the kit's trees, graded as they are) or a submission folder.</param>
/// <param name="OutDirectory">Where the reports go.</param>
/// <param name="StageTimeout">The hard bound of each stage's test runs, together.</param>
/// <param name="Name">The submission's name in folders and reports (default: its folder's name).</param>
/// <param name="Keep">Keep the overlay and its build output after grading (for a look at them).</param>
public sealed record GradeRequest(string Root, string Target, string OutDirectory, TimeSpan StageTimeout, string? Name = null, bool Keep = false)
{
    /// <summary>The bound of one test (<see cref="GradeOptions.TestTimeout"/>).</summary>
    public TimeSpan TestTimeout { get; init; } = GradeOptions.DefaultTestTimeout;

    /// <summary>How the test host is kept apart (<see cref="GradeOptions.Sandbox"/>).</summary>
    public SandboxMode Sandbox { get; init; } = SandboxMode.Auto;

    /// <summary>
    /// Gradescope's visibility (<see cref="GradescopeVisibility.All"/>) of the whole result and of
    /// every test whose <c>[Graded]</c> names none.
    /// </summary>
    public string Visibility { get; init; } = GradescopeVisibility.Default;

    /// <summary>The bound of the build of the hidden tests (<see cref="GradeOptions.BuildTimeout"/>).</summary>
    public TimeSpan BuildTimeout { get; init; } = HiddenTestRun.BuildTimeout;

    public bool IsKitTree => Target is "solutions" or "skeletons";

    public string Label => Name ?? (IsKitTree ? Target : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Target))));
}

/// <summary>How grading one implementation ended, with what the reports need.</summary>
public sealed record GradeResult(string Label, GradeOutcome Outcome, GradeExtras Extras, TimeSpan StageTimeout)
{
    /// <summary>Gradescope's visibility of the result and of tests that name none (<see cref="GradeRequest.Visibility"/>).</summary>
    public string Visibility { get; init; } = GradescopeVisibility.Default;

    /// <summary>The wall time of the grade (preparing the overlay, the build and every stage).</summary>
    public TimeSpan Elapsed { get; init; }

    public int ExitCode => Outcome switch
    {
        DoesNotCompile => ExitCodes.DoesNotCompile,
        NotGraded => ExitCodes.NotGraded,
        _ => ExitCodes.Success,
    };

    public int Total => Outcome is Graded graded ? graded.Score.Total : 0;
}

/// <summary>
/// Grades one implementation: a kit tree as it is, or a submission overlaid on the skeletons
/// (<see cref="SubmissionOverlay"/>); then writes every report.
/// </summary>
public static class GradeJob
{
    /// <summary>The report files; an earlier run's are deleted first, so a failed run never leaves stale ones behind.</summary>
    public static readonly IReadOnlyList<string> ReportFiles =
        [ScoreReport.MarkdownFile, ScoreReport.JsonFile, GradescopeReport.FileName, JUnitReport.FileName, ConsoleFile];

    /// <summary>The console table, saved for each student of a batch.</summary>
    public const string ConsoleFile = "score.txt";

    public static GradeResult Run(GradeRequest request, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        foreach (var file in ReportFiles.Select(f => Path.Combine(request.OutDirectory, f)).Where(File.Exists))
        {
            File.Delete(file);
        }

        if (request.IsKitTree)
        {
            var options = new GradeOptions(request.Root, request.Target, request.OutDirectory, request.StageTimeout)
            {
                TestTimeout = request.TestTimeout,
                Sandbox = request.Sandbox,
                BuildTimeout = request.BuildTimeout,
            };
            return Result(request, HiddenTestRun.Run(options, progress), null, clock);
        }

        var submission = SubmissionOverlay.Prepare(request.Root, request.Target, request.Label);
        progress.WriteLine($"{submission.Name}: {submission.Layout} layout, {submission.Taken.Count} editable file(s) taken, {submission.Ignored.Count} file(s) ignored, {submission.Missing.Count} missing");
        var overlayOptions = new GradeOptions(request.Root, submission.OverlayDirectory, request.OutDirectory, request.StageTimeout)
        {
            TestTimeout = request.TestTimeout,
            Sandbox = request.Sandbox,
            BuildTimeout = request.BuildTimeout,
            Label = submission.Name,
            IsSubmission = true,
            SourcePrefix = submission.SourcePrefix,
        };
        try
        {
            return Result(request, HiddenTestRun.Run(overlayOptions, progress), submission, clock);
        }
        finally
        {
            if (!request.Keep)
            {
                CleanUp(overlayOptions);
            }
        }
    }

    /// <summary>Writes score.md, score.json, results.json and junit.xml, and appends the Markdown to the step summary when set.</summary>
    public static void Save(GradeResult result, string outDirectory, string? stepSummaryPath)
    {
        Directory.CreateDirectory(outDirectory);
        switch (result.Outcome)
        {
            case DoesNotCompile failure:
                ScoreReport.Save(
                    outDirectory,
                    ScoreReport.CompileFailureMarkdown(result.Label, failure.Errors, result.Extras),
                    ScoreReport.CompileFailureJson(result.Label, failure.Errors, result.Extras),
                    stepSummaryPath);
                File.WriteAllText(
                    Path.Combine(outDirectory, GradescopeReport.FileName),
                    GradescopeReport.DoesNotCompile(failure.Errors, result.Extras, result.Visibility, result.Elapsed));
                File.WriteAllText(Path.Combine(outDirectory, JUnitReport.FileName), JUnitReport.DoesNotCompile(result.Label, failure.Errors));
                break;
            case Graded graded:
                // Every report says the visibility each test gets: its own, or the grade's.
                var score = GradescopeVisibility.WithDefault(graded.Score, result.Visibility);
                ScoreReport.Save(
                    outDirectory,
                    ScoreReport.Markdown(result.Label, score, result.StageTimeout, result.Extras),
                    ScoreReport.Json(result.Label, score, result.Extras),
                    stepSummaryPath);
                File.WriteAllText(
                    Path.Combine(outDirectory, GradescopeReport.FileName),
                    GradescopeReport.Graded(score, result.Extras, result.Visibility, result.Elapsed));
                File.WriteAllText(Path.Combine(outDirectory, JUnitReport.FileName), JUnitReport.Graded(result.Label, score));
                break;
            case NotGraded notGraded:
                // No results.json and no junit.xml: there is no score to show. A Gradescope autograder
                // then reports "could not be graded" with the exit code (see GradescopeScripts).
                ScoreReport.Save(
                    outDirectory,
                    ScoreReport.NotGradedMarkdown(result.Label, notGraded.Why),
                    ScoreReport.NotGradedJson(result.Label, notGraded.Why, result.Extras),
                    stepSummaryPath);
                break;
            default:
                throw new InvalidOperationException("unknown grading outcome");
        }
    }

    /// <summary>The console report: the score table (or the compiler errors), then the extras, then the score line last.</summary>
    public static void WriteConsole(GradeResult result, TextWriter output)
    {
        output.WriteLine();
        switch (result.Outcome)
        {
            case DoesNotCompile failure:
                using (var table = new StringWriter())
                {
                    ScoreReport.WriteCompileFailure(failure.Errors, table);
                    WriteBeforeLastLine(table.ToString(), result.Extras, output);
                }

                break;
            case Graded graded:
                using (var table = new StringWriter())
                {
                    ScoreReport.WriteConsole(graded.Score, table);
                    WriteBeforeLastLine(table.ToString(), result.Extras, output);
                }

                break;
            case NotGraded notGraded:
                output.WriteLine(ScoreReport.NotGradedLine(notGraded.Why));
                break;
        }
    }

    private static void WriteBeforeLastLine(string table, GradeExtras extras, TextWriter output)
    {
        var lines = table.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        foreach (var line in lines[..^1])
        {
            output.WriteLine(line);
        }

        output.Write(extras.Text().ReplaceLineEndings(Environment.NewLine)); // each section ends with a blank line
        output.WriteLine(lines[^1]);
    }

    private static GradeResult Result(GradeRequest request, GradeOutcome outcome, PreparedSubmission? submission, Stopwatch clock)
    {
        var notes = outcome is Graded graded ? graded.Notes : [];
        var extras = new GradeExtras(
            submission?.Ignored.Select(i => i.ToString()).ToList() ?? [],
            submission?.Missing ?? [],
            notes);
        return new GradeResult(request.Label, outcome, extras, request.StageTimeout) { Visibility = request.Visibility, Elapsed = clock.Elapsed };
    }

    private static void CleanUp(GradeOptions options)
    {
        try
        {
            if (HiddenTestRun.ArtifactsFolder(options) is { } artifacts && Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }

            SubmissionOverlay.Remove(options.Implementation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run to overwrite; not worth failing a grade over.
        }
    }
}
