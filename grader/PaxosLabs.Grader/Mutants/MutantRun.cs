using System.Diagnostics;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Mutants;

/// <summary>
/// Grades mutants in one work tree: the solutions' editable files laid over the pristine skeletons
/// (as <c>grade</c> lays a submission), kept for the whole run so MSBuild builds incrementally.
/// For each mutant: its file is mutated, the hidden tests are built and only its stage is run,
/// and the file is put back.
/// </summary>
public static class MutantRun
{
    /// <summary>
    /// The work tree's name under <c>.grade/</c>: one per report folder, so runs into different
    /// folders can go on at once; its build output stays in artifacts/ between runs.
    /// </summary>
    public static string WorkTreeName(string outDirectory) =>
        "mutants-" + SubmissionOverlay.SafeName(Path.GetFileName(Path.TrimEndingDirectorySeparator(outDirectory)));

    /// <param name="afterEach">Called with the verdicts so far after each mutant (so an interrupted run still leaves its matrix).</param>
    public static IReadOnlyList<MutantVerdict> Run(
        string root, IReadOnlyList<PreparedMutant> mutants, string outDirectory, TimeSpan stageTimeout, TextWriter progress, Action<IReadOnlyList<MutantVerdict>> afterEach)
    {
        var tree = SubmissionOverlay.Prepare(root, Path.Combine(root, SkeletonGenerator.SolutionsFolder), WorkTreeName(outDirectory));
        progress.WriteLine($"work tree {Path.GetRelativePath(root, tree.OverlayDirectory)}: the solutions' {tree.Taken.Count} editable files over the skeletons; {mutants.Count} mutant(s)");
        var verdicts = new List<MutantVerdict>();
        foreach (var (prepared, index) in mutants.Select((m, i) => (m, i + 1)))
        {
            var mutant = prepared.Mutant;
            var target = Path.Combine(tree.OverlayDirectory, mutant.PathInTree);
            progress.WriteLine();
            progress.WriteLine($"[{index}/{mutants.Count}] {mutant.Id} ({mutant.Task}): {mutant.Description}");
            var clock = Stopwatch.StartNew();
            File.WriteAllText(target, prepared.Mutated);
            try
            {
                var options = new GradeOptions(root, tree.OverlayDirectory, Path.Combine(outDirectory, mutant.Id), stageTimeout)
                {
                    Label = mutant.Id,
                    IsSubmission = true,
                    Stages = new HashSet<int> { mutant.Stage },
                };
                verdicts.Add(KillMatrix.Judge(mutant, HiddenTestRun.Run(options, progress), clock.Elapsed));
            }
            finally
            {
                File.Copy(Path.Combine(root, mutant.File), target, overwrite: true);
            }

            var verdict = verdicts[^1];
            progress.WriteLine($"  -> {verdict.Status}{(verdict.Kills.Count > 0 ? $" by {verdict.Kills.Count} test(s)" : "")}");
            afterEach(verdicts);
        }

        return verdicts;
    }
}
