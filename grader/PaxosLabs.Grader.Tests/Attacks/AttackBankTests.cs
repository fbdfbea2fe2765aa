using PaxosLabs.Grader.Attacks;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Mutants;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Tests.Grading;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Attacks;

public sealed class AttackBankTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private const string Valid = """
        # a comment
        file: PaxosLabs.Storage/StorageQSpec.cs
        description: does something hostile
        defence: the grader does something about it
        --- find
        namespace PaxosLabs.Storage;
        --- replace
        namespace PaxosLabs.Storage;
        // hostile
        --- end
        """;

    [Fact]
    public void The_kit_bank_has_the_four_attacks_of_the_issue_and_each_applies_to_the_skeleton_and_the_solution()
    {
        var bank = AttackBank.Load(KitRepository.Root);

        Assert.Equal(["crash-between-tests", "file-writer", "solution-reader", "trx-rewriter"], bank.Select(a => a.Id));
        foreach (var attack in bank)
        {
            foreach (var tree in new[] { "solutions", "skeletons" })
            {
                var original = File.ReadAllText(Path.Combine(KitRepository.Root, tree, attack.File));
                Assert.NotEqual(original, attack.Apply(original));
            }
        }
    }

    [Fact]
    public void All_attacks_apply_together_to_a_submission_with_every_editable_file()
    {
        var bank = AttackBank.Load(KitRepository.Root);

        var folder = AttackBank.WriteSubmission(KitRepository.Root, "skeletons", bank, Path.Combine(_tree.Root, "sub"));

        var editable = SkeletonGenerator.EditableFiles(KitRepository.Root);
        Assert.Equal(editable.Order(StringComparer.Ordinal), Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        var attacked = File.ReadAllText(Path.Combine(folder, "PaxosLabs.Storage/StorageQSpec.cs"));
        Assert.All(["AttackFileWriter", "AttackTrxRewriter", "AttackSolutionReader", "AttackCrash"], name => Assert.Contains(name, attacked, StringComparison.Ordinal));
    }

    [Fact]
    public void An_attack_file_is_parsed_and_applied_keeping_the_files_line_endings()
    {
        var attack = AttackFile.Parse("grader/attacks/x.attack", Valid);

        Assert.Equal(("x", "PaxosLabs.Storage/StorageQSpec.cs", "does something hostile", "the grader does something about it"),
            (attack.Id, attack.File, attack.Description, attack.Defence));
        Assert.Equal("namespace PaxosLabs.Storage;\r\n// hostile\r\nclass A {}\r\n", attack.Apply("namespace PaxosLabs.Storage;\r\nclass A {}\r\n"));
    }

    [Theory]
    [InlineData("file: /etc/passwd", "must be a path inside the student tree")]
    [InlineData("file: ../x.cs", "must be a path inside the student tree")]
    [InlineData("task: 1.1", "expected one of file:, description:, defence:")]
    public void A_malformed_attack_file_is_refused_with_its_name(string line, string expected)
    {
        var text = Valid.Replace("file: PaxosLabs.Storage/StorageQSpec.cs", line, StringComparison.Ordinal);

        var error = Assert.Throws<MutantException>(() => AttackFile.Parse("grader/attacks/x.attack", text));

        Assert.Contains("grader/attacks/x.attack", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("class A {}\n")]
    [InlineData("namespace PaxosLabs.Storage;\nnamespace PaxosLabs.Storage;\n")]
    public void An_attack_whose_text_is_not_in_the_file_exactly_once_is_refused(string text)
    {
        var attack = AttackFile.Parse("grader/attacks/x.attack", Valid);

        var error = Assert.Throws<MutantException>(() => attack.Apply(text));

        Assert.Contains("exactly once", error.Message, StringComparison.Ordinal);
    }

    private static GradeResult Result(Score score, params string[] notes) => new("x", new Graded(score, notes), new GradeExtras([], [], notes), TimeSpan.FromMinutes(1));

    private static Score Score(params (string Name, TestOutcome Outcome)[] tests) =>
        new([new StageScore(1, [new TaskScore(Task("1.1"), [.. tests.Select(t => new TestScore(Test(t.Name, "1.1", 2), t.Outcome, 1))])])]);

    private static TaskId Task(string id) => TaskId.TryParse(id, out var task) ? task : throw new ArgumentException(id);

    [Fact]
    public void The_grader_held_when_the_skeletons_score_0_and_the_solutions_lose_only_crashed_tests()
    {
        var problems = AttackCheck.Judge(
            Result(Score(("A", TestOutcome.Failed), ("B", TestOutcome.NotRun))),
            Result(Score(("A", TestOutcome.Passed), ("B", TestOutcome.Crashed))),
            []);

        Assert.Empty(problems);
    }

    [Fact]
    public void Tests_left_unrun_count_against_the_grader_unless_a_host_of_their_stage_died_before_running_any()
    {
        var skeletons = Result(Score(("A", TestOutcome.Failed), ("B", TestOutcome.Failed)));
        var solutions = Score(("A", TestOutcome.Crashed), ("B", TestOutcome.NotRun));

        Assert.Empty(AttackCheck.Judge(skeletons, Result(solutions, $"stage 1: {StageRunner.EndedBeforeAnyTest} of the 1 test(s) left (see the stage's log): they count as not run"), []));
        Assert.Equal(["the solutions lost 1 test(s) not run: B"], AttackCheck.Judge(skeletons, Result(solutions, $"stage 2: {StageRunner.EndedBeforeAnyTest} of the 1 test(s) left"), []));
        Assert.Equal(["the solutions lost 1 test(s) not run: B"], AttackCheck.Judge(skeletons, Result(solutions), []));
    }

    [Fact]
    public void Points_on_the_skeletons_lost_tests_on_the_solutions_and_leaked_code_are_each_reported()
    {
        var problems = AttackCheck.Judge(
            Result(Score(("A", TestOutcome.Passed), ("B", TestOutcome.Failed))),
            Result(Score(("A", TestOutcome.NotRun), ("B", TestOutcome.Failed), ("C", TestOutcome.TimedOut))),
            ["out/score.md: return replies.Count >= _quorum;"]);

        Assert.Equal(
            [
                "the skeletons scored 2: A",
                "the solutions lost 1 test(s) not run: A",
                "the solutions lost 1 test(s) failed: B",
                "the solutions lost 1 test(s) timed out: C",
                "a report shows solution code: out/score.md: return replies.Count >= _quorum;",
            ],
            problems);
    }

    [Fact]
    public void A_report_that_holds_a_line_of_a_solution_region_is_a_leak()
    {
        // One with '>', which JSON and XML both escape.
        var secret = SkeletonGenerator.ParsedEditableFiles(KitRepository.Root)
            .SelectMany(f => LeakCheck.SecretText(f.Parsed).Where(l => !LeakCheck.Normalize(File.ReadAllText(Path.Combine(KitRepository.Root, "skeletons", f.RelativePath))).Contains(l, StringComparison.Ordinal)))
            .First(l => l.Contains("=>", StringComparison.Ordinal));
        var reports = Path.Combine(_tree.Root, "reports");
        Directory.CreateDirectory(reports);
        File.WriteAllText(Path.Combine(reports, "clean.md"), "score: 0 / 208\n");
        File.WriteAllText(Path.Combine(reports, "stub.md"), "TODO(3.2): ... not suspected → add to _suspected and _listener.Suspect(id); ...\n");
        File.WriteAllText(Path.Combine(reports, "leaky.json"), System.Text.Json.JsonSerializer.Serialize(new { message = $"found it:\n    {secret}\n" }));
        File.WriteAllText(Path.Combine(reports, "leaky.trx"), new System.Xml.Linq.XElement("Message", $"found it:\n  {secret}").ToString());

        var leaks = AttackCheck.Leaks(KitRepository.Root, [reports]);

        Assert.Equal(["leaky.json", "leaky.trx"], leaks.Select(l => Path.GetFileName(l[..l.IndexOf(": ", StringComparison.Ordinal)])).Order(StringComparer.Ordinal));
        Assert.All(leaks, leak => Assert.EndsWith(secret, leak, StringComparison.Ordinal));
    }
}
