using System.Globalization;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Mutants;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Attacks;

/// <summary>How a set of attacks fared: the grades of the skeletons and of the solutions with them, and what went wrong.</summary>
/// <param name="Problems">Empty when the grader held: the skeletons scored 0, the solutions lost only tests the attacks' code crashed, and no report holds a solution line.</param>
public sealed record AttackVerdict(string Name, GradeResult Skeletons, GradeResult Solutions, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;
}

/// <summary>
/// <c>verify --attacks</c>: grades the skeletons and the solutions with attacks of the bank applied,
/// as a student's submissions, and judges what the grader made of them (<see cref="Judge"/>).
/// </summary>
public static class AttackCheck
{
    /// <returns>0 when the grader held against every selected attack (each alone), 1 when it did not.</returns>
    public static int Run(string root, string selection, string outDirectory, TimeSpan stageTimeout, TextWriter console)
    {
        var chosen = MutantBank.Select(AttackBank.Load(root), a => a.Id, selection);
        console.WriteLine($"attacks: {string.Join(", ", chosen.Select(a => a.Id))}");
        var verdicts = chosen.Select(attack => Grade(root, attack.Id, [attack], Path.Combine(outDirectory, attack.Id), stageTimeout, console)).ToList();
        console.WriteLine();
        foreach (var verdict in verdicts)
        {
            console.WriteLine($"{(verdict.Holds ? "held  " : "FAILED")}  {verdict.Name}: skeletons {Points(verdict.Skeletons)}, solutions {Points(verdict.Solutions)}");
            foreach (var problem in verdict.Problems)
            {
                console.WriteLine($"          {problem}");
            }
        }

        var failed = verdicts.Count(v => !v.Holds);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attacks: {verdicts.Count - failed} held, {failed} failed"));
        return failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    /// <summary>Grades the skeletons and the solutions with <paramref name="attacks"/> applied (reports in <paramref name="outDirectory"/>/skeletons and /solutions) and judges both.</summary>
    public static AttackVerdict Grade(string root, string name, IReadOnlyList<Attack> attacks, string outDirectory, TimeSpan stageTimeout, TextWriter progress)
    {
        var submissions = Directory.CreateTempSubdirectory("paxoslabs-attack-");
        try
        {
            GradeResult GradeTree(string tree)
            {
                var submission = AttackBank.WriteSubmission(root, tree, attacks, Path.Combine(submissions.FullName, tree));
                var request = new GradeRequest(root, submission, Path.Combine(outDirectory, tree), stageTimeout, $"{name}-on-{tree}");
                progress.WriteLine();
                progress.WriteLine($"grading {request.Label} ...");
                var result = GradeJob.Run(request, progress);
                GradeJob.Save(result, request.OutDirectory, stepSummaryPath: null);
                return result;
            }

            var skeletons = GradeTree("skeletons");
            var solutions = GradeTree(SkeletonGenerator.SolutionsFolder);
            var leaks = Leaks(root, [Path.Combine(outDirectory, "skeletons"), Path.Combine(outDirectory, SkeletonGenerator.SolutionsFolder)]);
            return new AttackVerdict(name, skeletons, solutions, Judge(skeletons, solutions, leaks));
        }
        finally
        {
            submissions.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What the grader let through. The skeletons with the attacks must score 0 (they earn nothing
    /// honestly). The solutions with them must lose only tests their own code stopped: charged with
    /// a crash (the host died while they ran), or not run in a stage whose notes say a host died
    /// before it ran any of them. No test may fail or time out, and none may go unrun otherwise.
    /// No report may hold a line of a solution region (<paramref name="leaks"/>). Pure.
    /// </summary>
    public static IReadOnlyList<string> Judge(GradeResult skeletons, GradeResult solutions, IReadOnlyList<string> leaks)
    {
        var problems = new List<string>();
        switch (skeletons.Outcome)
        {
            case Graded { Score.Total: > 0 } graded:
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the skeletons scored {graded.Score.Total}: {string.Join(", ", graded.Score.Tests.Where(t => t.Earned > 0).Take(5).Select(t => t.Test.Name))}"));
                break;
            case DoesNotCompile failure:
                problems.Add($"the skeletons with the attack do not compile: {string.Join("; ", failure.Errors.Take(3))}");
                break;
            case NotGraded notGraded:
                problems.Add($"the skeletons with the attack could not be graded: {notGraded.Why}");
                break;
        }

        switch (solutions.Outcome)
        {
            case Graded graded:
                bool HostDiedBefore(TestScore test) => test.Outcome == TestOutcome.NotRun && graded.Notes.Any(n =>
                    n.StartsWith($"stage {test.Test.Stage}: {StageRunner.EndedBeforeAnyTest}", StringComparison.Ordinal));
                foreach (var group in graded.Score.Tests.Where(t => t.Outcome is not (TestOutcome.Passed or TestOutcome.Crashed) && !HostDiedBefore(t)).GroupBy(t => t.Outcome))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the solutions lost {group.Count()} test(s) {ScoreReport.Describe(group.Key)}: {string.Join(", ", group.Take(5).Select(t => t.Test.Name))}"));
                }

                break;
            case DoesNotCompile failure:
                problems.Add($"the solutions with the attack do not compile: {string.Join("; ", failure.Errors.Take(3))}");
                break;
            case NotGraded notGraded:
                problems.Add($"the solutions with the attack could not be graded: {notGraded.Why}");
                break;
        }

        problems.AddRange(leaks.Take(5).Select(l => $"a report shows solution code: {l}"));
        return problems;
    }

    /// <summary>
    /// Every line of a solution region that a file under <paramref name="folders"/> holds
    /// (<see cref="LeakCheck.FindIn"/>), as "file: line"; lines the skeleton itself shows (a stub's
    /// message may name a call) are no secret.
    /// </summary>
    public static IReadOnlyList<string> Leaks(string root, IEnumerable<string> folders)
    {
        var secrets = SkeletonGenerator.ParsedEditableFiles(root)
            .SelectMany(file =>
            {
                var skeleton = LeakCheck.Normalize(File.ReadAllText(Path.Combine(root, "skeletons", file.RelativePath)));
                return LeakCheck.SecretText(file.Parsed).Where(secret => !skeleton.Contains(secret, StringComparison.Ordinal));
            })
            .ToList();
        return
        [
            .. folders.Where(Directory.Exists)
                .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
                .SelectMany(report => LeakCheck.FindIn(secrets, File.ReadAllText(report)).Select(line => $"{report}: {line}")),
        ];
    }

    private static string Points(GradeResult result) => result.Outcome is Graded graded
        ? string.Create(CultureInfo.InvariantCulture, $"{graded.Score.Total} / {graded.Score.Max}")
        : "does not compile";
}
