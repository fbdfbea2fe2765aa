using System.Text.Json;
using System.Xml.Linq;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;
using static PaxosLabs.Grader.Tests.Grading.ScorerTests;

namespace PaxosLabs.Grader.Tests.Reports;

public sealed class ReportFormatTests
{
    private static readonly GradeExtras Extras = new(["src/tests/T/ATests.cs (changed)"], [], ["stage 1: a note"]);

    /// <summary>Stage 1 complete but for one failure (with a message holding a terminal colour code); stage 2 stopped at its bound.</summary>
    private static Score Sample() => Scorer.Compute(
        [
            Test("Ns.Quorum.Reads", "1.1", 3),
            Test("Ns.Quorum.Writes", "1.1", 2),
            Test("Ns.QF.Table", "1.4", 2, cases: 2),
            Test("Ns.Paxos.Slow", "2.1", 5) with { Visibility = "Visible" },
        ],
        [
            Passed("Ns.Quorum.Reads") with { Duration = TimeSpan.FromSeconds(1.25) },
            new TestResult("Ns.Quorum.Writes", "Failed", "Expected 2 \u001b[31mreplies\u001b[0m <&>"),
            Passed("Ns.QF.Table") with { Duration = TimeSpan.FromSeconds(0.2) },
            Passed("Ns.QF.Table") with { Duration = TimeSpan.FromSeconds(0.3) },
        ],
        new HashSet<int> { 2 });

    [Fact]
    public void Results_json_has_what_gradescope_requires_and_a_test_per_hidden_test()
    {
        var json = GradescopeReport.Graded(Sample(), Extras, GradescopeVisibility.AfterPublished, TimeSpan.FromSeconds(83.6));

        Assert.Empty(FormatValidation.Gradescope(json));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(5, root.GetProperty("score").GetInt32());
        Assert.Equal((JsonValueKind.Number, 84), (root.GetProperty("execution_time").ValueKind, root.GetProperty("execution_time").GetInt32()));
        Assert.Equal("after_published", root.GetProperty("visibility").GetString());
        Assert.Equal("hidden", root.GetProperty("stdout_visibility").GetString());
        Assert.Contains("src/tests/T/ATests.cs (changed)", root.GetProperty("output").GetString(), StringComparison.Ordinal);
        var tests = root.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(4, tests.Count);
        Assert.All(tests, t => Assert.True(FormatValidation.IsTaskNumber(t.GetProperty("number").GetString())));
        Assert.All(tests, t => Assert.Contains($"stage-{t.GetProperty("number").GetString()![0]}", t.GetProperty("tags").EnumerateArray().Select(x => x.GetString())));
        var writes = tests.Single(t => t.GetProperty("name").GetString() == "Quorum.Writes");
        Assert.Equal(("1.1", 0, 2, "failed", "after_published"),
            (writes.GetProperty("number").GetString(), writes.GetProperty("score").GetInt32(), writes.GetProperty("max_score").GetInt32(), writes.GetProperty("status").GetString(), writes.GetProperty("visibility").GetString()));
        Assert.StartsWith("Expected 2", writes.GetProperty("output").GetString(), StringComparison.Ordinal);
        var slow = tests.Single(t => t.GetProperty("name").GetString() == "Paxos.Slow");
        Assert.Equal(("visible", "failed"), (slow.GetProperty("visibility").GetString(), slow.GetProperty("status").GetString()));
        Assert.StartsWith("timed out", slow.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(("passed", 3), (tests[0].GetProperty("status").GetString(), tests[0].GetProperty("score").GetInt32()));
    }

    /// <summary>
    /// <c>--visibility</c> sets the whole result's visibility and that of every test whose [Graded]
    /// names none; a test that names one keeps it, even the default value named explicitly.
    /// </summary>
    [Theory]
    [InlineData("visible")]
    [InlineData("after_due_date")]
    [InlineData("after_published")]
    [InlineData("hidden")]
    public void The_visibility_applies_to_the_result_and_to_every_test_that_names_none(string visibility)
    {
        var score = Scorer.Compute(
            [
                Test("Ns.A.Unnamed", "1.1", 1),
                Test("Ns.A.Shown", "1.1", 1) with { Visibility = "Visible" },
                Test("Ns.A.Published", "1.2", 1) with { Visibility = "AfterPublished" },
                Test("Ns.A.Secret", "1.2", 1) with { Visibility = "Hidden" },
            ],
            [Passed("Ns.A.Unnamed")],
            new HashSet<int>());

        var json = GradescopeReport.Graded(score, GradeExtras.None, visibility, TimeSpan.FromSeconds(1));

        Assert.Empty(FormatValidation.Gradescope(json));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(visibility, root.GetProperty("visibility").GetString());
        Assert.Equal("hidden", root.GetProperty("stdout_visibility").GetString());
        var tests = root.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("visibility").GetString());
        Assert.Equal(visibility, tests["A.Unnamed"]);
        Assert.Equal(("visible", "after_published", "hidden"), (tests["A.Shown"], tests["A.Published"], tests["A.Secret"]));
    }

    [Fact]
    public void Every_report_of_a_grade_gets_the_visibility_each_test_has_its_own_or_the_grades()
    {
        var score = GradescopeVisibility.WithDefault(Sample(), GradescopeVisibility.AfterDueDate);

        Assert.Equal(
            ["AfterDueDate", "AfterDueDate", "AfterDueDate", "Visible"],
            score.Tests.Select(t => t.Test.Visibility));
        Assert.Equal(Sample().Total, score.Total);
        Assert.Equal(Sample().Stages.Select(s => s.TimedOut), score.Stages.Select(s => s.TimedOut));
    }

    [Fact]
    public void An_unknown_visibility_is_refused_rather_than_written()
    {
        Assert.Throws<ArgumentException>(() => GradescopeReport.Graded(Sample(), Extras, "Visible", TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => GradescopeVisibility.WithDefault(Sample(), "public"));
    }

    [Fact]
    public void Results_json_of_a_compile_failure_scores_0_and_shows_the_errors()
    {
        var json = GradescopeReport.DoesNotCompile(["src/P/A.cs(3,1): error CS1002: ; expected"], GradeExtras.None, GradescopeVisibility.Hidden, TimeSpan.FromSeconds(41.2));

        Assert.Empty(FormatValidation.Gradescope(json));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(0, root.GetProperty("score").GetInt32());
        Assert.Equal(("hidden", 41), (root.GetProperty("visibility").GetString(), root.GetProperty("execution_time").GetInt32()));
        var build = Assert.Single(root.GetProperty("tests").EnumerateArray());
        Assert.Equal(("failed", "visible"), (build.GetProperty("status").GetString(), build.GetProperty("visibility").GetString()));
        Assert.Contains("error CS1002", build.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Visible", "visible")]
    [InlineData("Hidden", "hidden")]
    [InlineData("AfterDueDate", "after_due_date")]
    [InlineData("AfterPublished", "after_published")]
    public void Kit_visibilities_map_to_gradescope_ones(string kit, string gradescope)
    {
        Assert.Equal(gradescope, GradescopeVisibility.FromKit(kit));
        Assert.Equal(kit, GradescopeVisibility.ToKit(gradescope));
    }

    [Fact]
    public void Junit_has_a_suite_per_stage_and_a_case_per_test_with_failures_and_errors()
    {
        var xml = JUnitReport.Graded("alice", Sample());

        Assert.Empty(FormatValidation.JUnit(xml));
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal(["stage-1", "stage-2"], root.Elements("testsuite").Select(s => (string?)s.Attribute("name")));
        var cases = root.Descendants("testcase").ToList();
        Assert.Equal(4, cases.Count);
        var writes = cases.Single(c => ((string)c.Attribute("name")!).StartsWith("Writes", StringComparison.Ordinal));
        Assert.Equal("Ns.Quorum", (string?)writes.Attribute("classname"));
        Assert.Equal("Writes (task 1.1, 2 pt)", (string?)writes.Attribute("name"));
        var failure = writes.Element("failure")!;
        Assert.Equal("Expected 2 [31mreplies[0m <&>", failure.Value); // the escape character XML cannot hold is gone
        Assert.NotNull(cases.Single(c => ((string)c.Attribute("name")!).StartsWith("Slow", StringComparison.Ordinal)).Element("error"));
        Assert.Equal(2, cases.Count(c => !c.HasElements));
        Assert.Equal("1.250", (string?)cases.Single(c => ((string)c.Attribute("name")!).StartsWith("Reads", StringComparison.Ordinal)).Attribute("time"));
        Assert.Equal("0.000", (string?)cases.Single(c => ((string)c.Attribute("name")!).StartsWith("Slow", StringComparison.Ordinal)).Attribute("time")); // no result, no time
        Assert.Equal("0.500", (string?)cases.Single(c => ((string)c.Attribute("name")!).StartsWith("Table", StringComparison.Ordinal)).Attribute("time")); // both cases
    }

    [Fact]
    public void Junit_suites_carry_their_stage_start_and_wall_time()
    {
        var score = Sample();
        var started = new DateTimeOffset(2026, 12, 4, 9, 30, 15, TimeSpan.FromHours(1));
        score = score with { Stages = [score.Stages[0] with { Started = started, Elapsed = TimeSpan.FromSeconds(12.3456) }, score.Stages[1]] };

        var suites = XDocument.Parse(JUnitReport.Graded("alice", score, new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero))).Root!.Elements("testsuite").ToList();

        Assert.Equal("2026-12-04T08:30:15", (string?)suites[0].Attribute("timestamp")); // in UTC
        Assert.Equal("12.346", (string?)suites[0].Attribute("time"));
        Assert.Equal("2026-12-04T09:00:00", (string?)suites[1].Attribute("timestamp")); // did not run: when the report was written
        Assert.Equal(["0", "1"], suites.Select(s => (string?)s.Attribute("id")));
    }

    [Fact]
    public void Junit_of_a_compile_failure_is_one_failed_build_case()
    {
        var xml = JUnitReport.DoesNotCompile("bob", ["src/P/A.cs(3,1): error CS1002: ; expected"]);

        Assert.Empty(FormatValidation.JUnit(xml));
        var testcase = Assert.Single(XDocument.Parse(xml).Descendants("testcase"));
        Assert.Contains("error CS1002", testcase.Element("failure")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validators_notice_broken_reports()
    {
        Assert.NotEmpty(FormatValidation.Gradescope("""{"tests":[{"name":"x","status":"ok"}]}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":"10"}"""));
        Assert.Empty(FormatValidation.Gradescope("""{"score":10,"execution_time":136}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"execution_time":"136"}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"execution_time":-1}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"executionTime":136}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"visibility":"public"}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"visibility":true}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"output_format":"rtf"}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"extra_data":[]}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"score":10,"leaderboard":[{"name":"t","value":1,"order":"up"}]}"""));
        Assert.Empty(FormatValidation.Gradescope("""{"score":10,"leaderboard":[{"name":"t","value":1.5,"order":"asc"},{"name":"s","value":"***"}]}"""));
        Assert.NotEmpty(FormatValidation.Gradescope("""{"tests":[{"score":1,"max_points":1}]}"""));
        Assert.NotEmpty(FormatValidation.JUnit("""<testsuite name="a" tests="0" failures="0" errors="0"/>"""));
        const string good = """<testsuites><testsuite name="a" timestamp="2026-12-04T08:00:00" hostname="localhost" tests="1" failures="0" errors="0" time="1.5" package="p" id="0"><properties/><testcase name="t" classname="c" time="0.25"/><system-out/><system-err/></testsuite></testsuites>""";
        Assert.Empty(FormatValidation.JUnit(good));
        Assert.Equal(["testsuites has attributes (tests); the strict schema allows none"], FormatValidation.JUnit(good.Replace("<testsuites>", "<testsuites tests=\"1\">", StringComparison.Ordinal)));
        Assert.Equal(["testcase t lacks the attribute time"], FormatValidation.JUnit(good.Replace(" time=\"0.25\"", "", StringComparison.Ordinal)));
        Assert.Equal(["testsuite a lacks the attribute timestamp"], FormatValidation.JUnit(good.Replace(" timestamp=\"2026-12-04T08:00:00\"", "", StringComparison.Ordinal)));
        Assert.Equal(["testsuite a: timestamp=\"2026-12-04T08:00:00Z\" is not yyyy-MM-ddTHH:mm:ss (no zone)"], FormatValidation.JUnit(good.Replace("08:00:00", "08:00:00Z", StringComparison.Ordinal)));
        Assert.Equal(["testcase t: time=\"0.2500\" is not seconds with at most three decimals"], FormatValidation.JUnit(good.Replace("0.25", "0.2500", StringComparison.Ordinal)));
        Assert.Equal(["testsuite a: its elements are properties, testcase; the schema wants properties, testcase*, system-out, system-err"], FormatValidation.JUnit(good.Replace("<system-out/><system-err/>", "", StringComparison.Ordinal)));
        Assert.Equal(["testsuite a has the attribute flaky, which the strict schema does not allow"], FormatValidation.JUnit(good.Replace("id=\"0\"", "id=\"0\" flaky=\"no\"", StringComparison.Ordinal)));
    }
}
