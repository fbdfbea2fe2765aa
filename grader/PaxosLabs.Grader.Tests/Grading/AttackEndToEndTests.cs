using PaxosLabs.Grader.Attacks;
using PaxosLabs.Grader.Grading;
using Xunit.Abstractions;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>
/// <c>grade</c> against the attack bank (grader/attacks/): the skeletons and the solutions, each with every
/// attack at once, graded as students' submissions (about two minutes). <c>verify --attacks all</c> grades each alone.
/// </summary>
[Collection(OwnSubmissionsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AttackEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "attacks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public void Every_attack_at_once_earns_the_skeletons_nothing_and_costs_the_solutions_only_the_tests_it_crashed()
    {
        // Without root the tests run as the grader's own user: reading the disk and outliving the run
        // are then possible (docs/grading.md, "Isolation"), so only the attacks that mode holds against are tried.
        var isolated = SandboxSupport.WhyNotUser() is null;
        var attacks = AttackBank.Load(KitRepository.Root).Where(a => isolated || a.Id is "file-writer" or "crash-between-tests").ToList();
        using var progress = new StringWriter();

        var verdict = AttackCheck.Grade(KitRepository.Root, "every-attack", attacks, _out, TimeSpan.FromSeconds(480), progress);

        var output = progress.ToString();
        log.WriteLine(output);
        Assert.True(verdict.Holds, $"the grader let an attack through:\n{string.Join('\n', verdict.Problems)}\n{output}");
        var skeletons = Assert.IsType<Graded>(verdict.Skeletons.Outcome);
        var solutions = Assert.IsType<Graded>(verdict.Solutions.Outcome);
        Assert.Equal(0, skeletons.Score.Total);

        // The crash ended a host early in stage 1; what it had not run ran again (the verdict above: a
        // test went unrun only where a host died before running any test of its run, and the notes say so).
        Assert.Matches("stage 1: (.* crashed the test host|the test host ended between tests|the test host died while)", output);
        Assert.All(solutions.Score.Tests.Where(t => t.Outcome == TestOutcome.NotRun), t => Assert.Contains(solutions.Notes, n =>
            n.StartsWith($"stage {t.Test.Stage}: {StageRunner.EndedBeforeAnyTest}", StringComparison.Ordinal)));

        // The files written by the code under test changed nothing that is graded.
        Assert.DoesNotContain(solutions.Notes, n => n.Contains("build output changed", StringComparison.Ordinal));
        if (isolated)
        {
            // The rewriter's detached shell (and the crashing timer's host) were ended with their run.
            Assert.Contains(solutions.Notes, n => n.Contains("left behind by the test run were killed", StringComparison.Ordinal));
            Assert.DoesNotContain(solutions.Notes, n => n.StartsWith("not isolated", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(solutions.Notes, n => n.StartsWith("not isolated", StringComparison.Ordinal));
        }
    }
}
