using System.Globalization;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Grading;

/// <summary>One check of <c>verify</c>.</summary>
public sealed record CheckResult(string Name, bool Holds, string? Detail = null);

/// <summary>
/// The kit's self-check: skeletons/ is what solutions/ generates; the solutions' editable files,
/// graded as a student's submission (laid over the skeletons), score full marks, which proves the
/// one rule leaves a student everything needed; the points the texts publish are the grader's; the
/// skeletons score 0; and no hidden test passes against the skeletons (every test fails on a stub).
/// </summary>
public static class KitCheck
{
    public static IReadOnlyList<CheckResult> Run(string root, string outDirectory, TimeSpan stageTimeout, TextWriter progress)
    {
        var checks = new List<CheckResult>();

        progress.WriteLine("checking that skeletons/ is generated from solutions/ ...");
        var drift = SkeletonGenerator.Check(root);
        checks.Add(new CheckResult("skeletons/ is up to date", drift.Count == 0,
            drift.Count == 0 ? null : $"{drift.Count} file(s) differ, such as {drift[0]}"));

        progress.WriteLine();
        var solutions = Grade(new GradeRequest(root, Path.Combine(root, SkeletonGenerator.SolutionsFolder), Path.Combine(outDirectory, "solutions"), stageTimeout, "solutions-as-submission"), progress);
        checks.Add(solutions.Outcome switch
        {
            Graded { Score: var s } when s.Max > 0 && s.Total == s.Max => new CheckResult("the solutions, graded as a submission, score 100 %", true, Points(s)),
            Graded { Score: var s } => new CheckResult("the solutions, graded as a submission, score 100 %", false,
                $"{Points(s)}; not passed: {string.Join(", ", s.Tests.Where(t => t.Outcome != TestOutcome.Passed).Select(t => $"{t.Test.Name} ({ScoreReport.Describe(t.Outcome)})"))}"),
            DoesNotCompile d => new CheckResult("the solutions, graded as a submission, score 100 %", false, $"they do not compile: {string.Join("; ", d.Errors.Take(3))}"),
            NotGraded n => new CheckResult("the solutions, graded as a submission, score 100 %", false, $"they could not be graded: {n.Why}"),
            _ => new CheckResult("the solutions, graded as a submission, score 100 %", false, "unknown outcome"),
        });
        if (solutions.Outcome is Graded { Score: var graded })
        {
            var drifted = PublishedPoints.Check(root, new Manifest([.. graded.Tests.Select(t => t.Test)]));
            checks.Add(new CheckResult("the points in the assignment texts and docs are the grader's", drifted.Count == 0,
                drifted.Count == 0 ? Points(graded) : string.Join("; ", drifted)));
        }

        progress.WriteLine();
        var skeletons = Grade(new GradeRequest(root, "skeletons", Path.Combine(outDirectory, "skeletons"), stageTimeout), progress);
        if (skeletons.Outcome is Graded { Score: var stubs })
        {
            checks.Add(new CheckResult("the skeletons score 0", stubs.Total == 0, Points(stubs)));
            var passing = stubs.Tests.Where(t => t.Outcome == TestOutcome.Passed).Select(t => t.Test.Name).ToList();
            checks.Add(new CheckResult("no hidden test passes on a stub", passing.Count == 0,
                passing.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"all {stubs.TestCount} fail") : string.Join(", ", passing)));
        }
        else
        {
            var why = skeletons.Outcome switch
            {
                DoesNotCompile d => $"the hidden tests do not compile against them: {string.Join("; ", d.Errors.Take(3))}",
                NotGraded n => $"they could not be graded: {n.Why}",
                _ => "unknown outcome",
            };
            checks.Add(new CheckResult("the skeletons score 0", false, why));
            checks.Add(new CheckResult("no hidden test passes on a stub", false, why));
        }

        return checks;
    }

    private static GradeResult Grade(GradeRequest request, TextWriter progress)
    {
        progress.WriteLine($"grading {request.Label} ...");
        var result = GradeJob.Run(request, progress);
        GradeJob.Save(result, request.OutDirectory, stepSummaryPath: null);
        return result;
    }

    private static string Points(Score score) => string.Create(CultureInfo.InvariantCulture, $"{score.Total} / {score.Max} points");
}
