using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Tests.Grading;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Simulation;
using PaxosLabs.Simulation.Checkers;
using PaxosLabs.Storage;
using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Grader.Tests.Texts;

/// <summary>
/// The example output in the assignment texts, the student guide and the grading guide is real: each
/// block marked <c>&lt;!-- example: id --&gt;</c> must match what the kit's code prints for the case
/// it shows (run for real where the run is deterministic, otherwise the same check or format on the
/// example's input), with "…" for what the text leaves out.
/// </summary>
public class TextExamplesTests
{
    private static readonly string Root = KitRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no kit root above {AppContext.BaseDirectory}");

    /// <summary>The real output of each example, by id.</summary>
    private static readonly Dictionary<string, Func<Task<string>>> Outputs = new(StringComparer.Ordinal)
    {
        ["quorum-call-incomplete"] = QuorumCallIncompleteAsync,
        ["single-paxos-sweep-failure"] = () => Task.FromResult(SinglePaxosSweepFailure()),
        ["multipaxos-sweep-failure"] = () => Task.FromResult(MultiPaxosSweepFailure()),
        ["durable-sweep-failure"] = () => Task.FromResult(DurableSweepFailure()),
        ["stub"] = () => Task.FromResult(Stub()),
        ["mutant-format"] = () => File.ReadAllTextAsync(Path.Combine(Root, "grader/mutants/2.1-prepare-promises-equal-round.mutant")),
        ["gradescope-results"] = () => Task.FromResult(GradescopeResults()),
        ["paxos-demo"] = PaxosDemoAsync,
        ["detector-skips-itself"] = () => Task.FromResult(DetectorSkipsItself()),
    };

    public static TheoryData<string> Examples() =>
        [.. TextExamples.Texts(Root).SelectMany(file => TextExamples.Read(Root, file)).Select(e => $"{e.File}:{e.Line}")];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task An_example_in_a_text_is_what_the_kit_prints(string where)
    {
        var example = TextExamples.Texts(Root).SelectMany(file => TextExamples.Read(Root, file)).Single(e => $"{e.File}:{e.Line}" == where);
        Assert.True(Outputs.TryGetValue(example.Id, out var produce), $"{example}: no real output is known for example '{example.Id}'; add it to {nameof(TextExamplesTests)}.{nameof(Outputs)}.");
        var actual = await produce();
        Assert.True(TextExamples.Matches(example.Text, actual),
            $"{example}: the text's example is not what the kit prints (\"…\" in the text stands for any text within a line, a line \"…\" for any lines).{Environment.NewLine}" +
            $"--- the text{Environment.NewLine}{example.Text}{Environment.NewLine}--- the kit prints{Environment.NewLine}{actual}");
    }

    [Fact]
    public void Every_known_output_is_shown_by_some_text()
    {
        var shown = TextExamples.Texts(Root).SelectMany(file => TextExamples.Read(Root, file)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(Outputs.Keys, id => Assert.True(shown.Contains(id), $"No text shows the example '{id}' any more: remove it from {nameof(Outputs)}."));
    }

    [Theory]
    [InlineData("a\nb", "a\nb", true)]
    [InlineData("a … c", "a b b c", true)]
    [InlineData("a … c", "a b\nc", false)]
    [InlineData("x\n…\nz", "x\ny1\ny2\nz", true)]
    [InlineData("x\n…\nz", "x\nz", true)]
    [InlineData("x\ny", "x\ny\nz", false)]
    [InlineData("a (b)", "a (c)", false)]
    public void An_ellipsis_stands_for_what_the_text_leaves_out_and_nothing_else(string example, string actual, bool matches) =>
        Assert.Equal(matches, TextExamples.Matches(example, actual));

    /// <summary>Assignment 1: a read from three storage nodes, two of them stopped.</summary>
    private static async Task<string> QuorumCallIncompleteAsync()
    {
        await using var cluster = new InMemoryCluster<StorageServer>(3, _ => new StorageServer());
        var storage = new StorageConfiguration(cluster.Configuration, new StorageQSpec(3));
        await storage.ReadAsync(new ReadRequest()); // connected to all three
        cluster.Stop(0);
        cluster.Stop(1);
        var error = await Assert.ThrowsAsync<QuorumCallException>(() => storage.ReadAsync(new ReadRequest()));
        return error.Message;
    }

    /// <summary>Assignment 2: the stage-2 sweep, run for real with an acceptor that forgets its votes.</summary>
    private static string SinglePaxosSweepFailure() =>
        WithoutRoot(Assert.Throws<SimulationFailedException>(() => SinglePaxosScenario.Sweep(3, 1, seeds: 200, _ => new ForgetfulAcceptor())).Message);

    /// <summary>Assignment 4: two replicas that executed different commands in slot 5, reported as the sweep reports it.</summary>
    private static string MultiPaxosSweepFailure()
    {
        static string Command(string client, ulong seq, KvCommand.Types.Op op, string key, string value = "") =>
            MultiPaxosScenario.Describe(new Value { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = op, Key = key, Value = value } });

        var log = new LogChecker();
        (ulong, string)[] common = [(1, Command("c0", 1, KvCommand.Types.Op.Put, "x", "c0.0")), (2, Command("c1", 1, KvCommand.Types.Op.Put, "y", "c1.0")), (3, "no-op"), (4, Command("c2", 1, KvCommand.Types.Op.Get, "z"))];
        log.Observe("r0", [.. common, (5, Command("c0", 2, KvCommand.Types.Op.Append, "y", "c0.1"))], 600);
        log.Observe("r1", [.. common, (5, Command("c1", 2, KvCommand.Types.Op.Get, "x"))], 799);
        return Reported(log.Violation!, 3006, 965, 799, MultiPaxosScenario.SweepTest, MultiPaxosScenario.Stage4Tests);
    }

    /// <summary>Assignment 5: an acknowledged put that a later get does not see.</summary>
    private static string DurableSweepFailure()
    {
        var verdict = LinearizabilityChecker.Check(
        [
            new KvOperation(0, KvOpKind.Put, "x", "a", "", 10, 20),
            new KvOperation(1, KvOpKind.Get, "x", "", "", 30, 40),
        ]);
        return Reported(MultiPaxosScenario.HistoryFailure(verdict), 3042, 2310, 4187, MultiPaxosScenario.DurableSweepTest, MultiPaxosScenario.Stage5Tests);
    }

    /// <summary>A failure as <see cref="Sweep"/> reports it; the numbers of the run are the text's, the format and the commands are the kit's.</summary>
    private static string Reported(string failure, long seed, int milliseconds, long steps, string test, string project) => WithoutRoot(new SweepFailure(
        failure, seed, TimeSpan.FromMilliseconds(milliseconds), steps, new TraceStatistics(new Dictionary<TraceKind, long>(), new Dictionary<string, long>()),
        Sweep.ReplayCommand(test, project, seed), 402, 543, 5, 23, Sweep.TracePath(test, seed)).ToString());

    /// <summary>The student guide: task 1.4 as the skeleton hands it out.</summary>
    private static string Stub() => string.Join('\n', File.ReadLines(Path.Combine(Root, "skeletons/PaxosLabs.Storage/StorageQSpec.cs"))
        .Where(line => line.Contains("TODO(1.4)", StringComparison.Ordinal)).Select(line => line.Trim()));

    /// <summary>Assignment 2: paxos-demo run for real (three nodes over gRPC on 127.0.0.1, two proposers); which value wins is timing's.</summary>
    private static async Task<string> PaxosDemoAsync()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await PaxosLabs.Node.PaxosDemo.RunAsync(3, 2, seed: 1, output, errors, CancellationToken.None);
        Assert.True(exit == 0, $"paxos-demo exited with {exit}: {errors}");
        return output.ToString();
    }

    /// <summary>
    /// The grading guide: results.json of the solutions, graded but for one 2-point test of task 1.4
    /// that had not finished when stage 1 reached its time bound, with a changed build file ignored.
    /// </summary>
    private static string GradescopeResults()
    {
        var manifest = Manifest.Read(KitRepository.SolutionsHiddenTests());
        const string unfinished = "PaxosLabs.HiddenTests.Stage1.StorageQFTests.ReadQF_is_not_done_below_a_quorum";
        List<TestResult> results = [.. manifest.Tests.Where(t => t.Name != unfinished).SelectMany(t => Enumerable.Repeat(ScorerTests.Passed(t.Name), t.Cases ?? 1))];
        var score = Scorer.Compute(manifest.Tests, results, new HashSet<int> { 1 });
        return GradescopeReport.Graded(score, new GradeExtras(["Directory.Build.props (changed)"], [], []), GradescopeVisibility.AfterPublished, TimeSpan.FromSeconds(73.6));
    }

    /// <summary>
    /// Assignment 3: the graded test "the delay grows by delta once per timeout" (node 0 of 0–3, only
    /// node 0 replies before timeout #2) run against the solution's detector whose requests to itself
    /// are dropped, as a detector that sends itself none would behave; the message is the graded test's.
    /// </summary>
    private static string DetectorSkipsItself()
    {
        var delta = TimeSpan.FromMilliseconds(100);
        var time = new FakeTimeProvider();
        var log = new DetectorLog();
        var detector = new FailureDetector(0, [3, 1, 0, 2], delta, new SkipsItself(log), log, time);
        detector.Start();
        time.Advance(detector.Delay);
        detector.Handle(new Heartbeat { From = 0, To = 0, Request = false });
        log.Take();
        time.Advance(detector.Delay);
        var actual = log.Take();
        detector.Stop();
        return DetectorLog.TimeoutMismatch(0, 2, detector.Delay, delta, "Only node 0 replied: suspect nodes 1, 2 and 3, in ascending id order.",
            ["suspect 1", "suspect 2", "suspect 3", "request 0->0", "request 0->1", "request 0->2", "request 0->3"], actual);
    }

    /// <summary>Passes on every heartbeat but a node's request to itself.</summary>
    private sealed class SkipsItself(IHeartbeatSender inner) : IHeartbeatSender
    {
        public void Send(Heartbeat heartbeat)
        {
            if (!(heartbeat.Request && heartbeat.From == heartbeat.To))
            {
                inner.Send(heartbeat);
            }
        }
    }

    /// <summary>Paths as the student sees them: from the repository root.</summary>
    private static string WithoutRoot(string text) => text.Replace(Root.TrimEnd('/') + "/", "", StringComparison.Ordinal);
}
