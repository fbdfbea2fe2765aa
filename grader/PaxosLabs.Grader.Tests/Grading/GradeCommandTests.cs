using System.Text.Json;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

internal static class GradeCli
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    public static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];

    /// <summary>A usage mistake: nothing on stdout, one line starting with "error: " on stderr, exit code 2.</summary>
    public static void AssertUsageError(params string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}

public sealed class GradeCommandTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("grade")]
    [InlineData("grade", "solutions", "--stage-timeout", "0")]
    [InlineData("grade", "solutions", "--stage-timeout", "soon")]
    [InlineData("grade", "solutions", "skeletons")]
    [InlineData("grade", "solutions", "--sandbox", "docker")]
    [InlineData("grade", "--batch", "subs", "--jobs", "0")]
    [InlineData("grade", "--batch", "subs", "--jobs", "two")]
    [InlineData("grade", "--batch", "subs", "--shard", "3/2")]
    [InlineData("grade", "--batch", "subs", "--shard", "0/2")]
    [InlineData("grade", "--batch", "subs", "--shard", "half")]
    [InlineData("grade", "solutions", "--jobs", "2")]
    [InlineData("grade", "solutions", "--shard", "1/2")]
    [InlineData("merge", "shard-1")]
    [InlineData("merge", "--out", "grades")]
    [InlineData("grade", "solutions", "--visibility", "public")]
    [InlineData("grade", "solutions", "--visibility", "Visible")]
    [InlineData("grade", "solutions", "--visibility")]
    public void Bad_arguments_give_one_line_and_exit_code_2(params string[] args) => GradeCli.AssertUsageError(args);

    [Theory]
    [InlineData("submissions/alice", "no such folder")]
    [InlineData("solutions/P", "none of the student-editable files")]
    public void A_folder_that_is_missing_or_holds_no_editable_file_exits_2(string submission, string message)
    {
        _tree.Write("solutions/P/A.cs", "// BEGIN TODO(1.1): Go.\nGo();\n// END TODO(1.1)\n");

        var (code, output, error) = GradeCli.Run("grade", Path.Combine(_tree.Root, submission), "--root", _tree.Root);

        Assert.Equal(2, code);
        Assert.StartsWith("grading ", output, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_visibility_names_the_values_it_may_take()
    {
        var (_, _, error) = GradeCli.Run("grade", "solutions", "--visibility", "after_deadline");

        Assert.Equal("error: --visibility must be visible, after_due_date, after_published or hidden, not 'after_deadline' (see --help)\n", error);
    }

    [Theory]
    [InlineData(null, "after_published")]
    [InlineData("visible", "visible")]
    [InlineData("after_due_date", "after_due_date")]
    [InlineData("hidden", "hidden")]
    public void The_visibility_is_after_published_unless_given(string? given, string expected)
    {
        string[] args = given is null ? ["grade", "solutions"] : ["grade", "solutions", "--visibility", given];

        var parsed = Cli.BuildRootCommand().Parse(args);

        Assert.Empty(parsed.Errors);
        Assert.Equal(expected, parsed.GetValue<string>("--visibility"));
    }

    [Fact]
    public void A_submission_and_a_batch_at_once_is_a_usage_error()
    {
        var (code, _, error) = GradeCli.Run("grade", "solutions", "--batch", _tree.Root, "--root", _tree.Root);

        Assert.Equal(2, code);
        Assert.Contains("either a submission", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compiler_errors_in_the_overlaid_tree_are_shown_with_the_students_paths()
    {
        var root = Path.Combine(Path.GetTempPath(), "kit");
        string[] output = [$"{root}/.grade/alice/PaxosLabs.Storage/A.cs(3,1): error CS1002: ; expected [{root}/.grade/alice/PaxosLabs.Storage/P.csproj]"];

        Assert.Equal(
            ["src/PaxosLabs.Storage/A.cs(3,1): error CS1002: ; expected [src/PaxosLabs.Storage/P.csproj]"],
            HiddenTestRun.ErrorLines(output, root, $"{root}/.grade/alice", "src/"));
    }

    [Fact]
    public void Compiler_error_lines_are_kept_once_with_paths_relative_to_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "kit");
        string[] output =
        [
            "  Determining projects to restore...",
            $"{root}/skeletons/A.cs(3,1): error CS1002: ; expected [{root}/skeletons/A/A.csproj]",
            "Build FAILED.",
            $"    {root}/skeletons/A.cs(3,1): error CS1002: ; expected [{root}/skeletons/A/A.csproj]",
            "    0 Warning(s)",
            "    1 Error(s)",
        ];

        Assert.Equal(["skeletons/A.cs(3,1): error CS1002: ; expected [skeletons/A/A.csproj]"], HiddenTestRun.ErrorLines(output, root + "/"));
    }

    [Theory]
    [InlineData(600, 570)]
    [InlineData(60, 54)]
    [InlineData(20, 15)]
    [InlineData(4, 2)]
    public void The_runner_session_timeout_leaves_time_to_write_results_before_the_hard_bound(int bound, double session) =>
        Assert.Equal(TimeSpan.FromSeconds(session), HiddenTestRun.SessionTimeout(TimeSpan.FromSeconds(bound)));
}

/// <summary>
/// <c>grade</c> through the CLI on the real kit: builds the hidden tests and runs them out of
/// process, so these take a while.
/// </summary>
[Collection(HiddenTestsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GradeEndToEndTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private string Out(string name) => Path.Combine(_tree.Root, "grade", name);

    private static JsonElement ScoreJson(string outDirectory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(outDirectory, "score.json"))).RootElement;

    [Fact]
    public void The_solutions_get_full_marks()
    {
        var (code, output, error) = GradeCli.Run("grade", "solutions", "--root", KitRepository.Root, "--out", Out("solutions"));

        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        var score = ScoreJson(Out("solutions"));
        var (total, max) = (score.GetProperty("total").GetInt32(), score.GetProperty("max").GetInt32());
        Assert.True(max > 0 && total == max, output);
        Assert.Equal($"score: {max} / {max}", GradeCli.LastLine(output));
        Assert.All(score.GetProperty("tests").EnumerateArray(), t => Assert.Equal("passed", t.GetProperty("outcome").GetString()));
        Assert.True(File.Exists(Path.Combine(Out("solutions"), "score.md")));
        Assert.True(File.Exists(Path.Combine(Out("solutions"), "trx", "stage-1.trx")));
        Assert.True(File.Exists(Path.Combine(Out("solutions"), "logs", "stage-1.log")));
    }

    /// <summary>
    /// Every stage cut at a one-second bound: no test has a passing result, so none earns a point,
    /// whatever the tree (a grader that credited tests without a result gave the skeletons points here).
    /// A score of 0 is a grade: exit code 0 and the score line. (The skeletons graded in full score 0
    /// in <see cref="VerifyEndToEndTests"/>, which grades them as <c>grade skeletons</c> does.)
    /// </summary>
    [Theory]
    [InlineData("skeletons")]
    [InlineData("solutions")]
    public void A_tree_whose_every_stage_is_cut_at_its_bound_gets_0_with_every_stage_timed_out(string tree)
    {
        var (code, output, error) = GradeCli.Run("grade", tree, "--root", KitRepository.Root, "--out", Out(tree + "-cut"), "--stage-timeout", "1");

        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        var score = ScoreJson(Out(tree + "-cut"));
        Assert.True(score.GetProperty("total").GetInt32() == 0, output);
        Assert.Equal($"score: 0 / {score.GetProperty("max").GetInt32()}", GradeCli.LastLine(output));
        Assert.All(score.GetProperty("stages").EnumerateArray(), s => Assert.True(s.GetProperty("timedOut").GetBoolean(), output));
        Assert.All(score.GetProperty("tests").EnumerateArray(), t => Assert.True(
            t.GetProperty("outcome").GetString() is "timed out" or "failed", $"{t.GetProperty("name")}: {t.GetProperty("outcome")}\n{output}"));
    }

    [Fact]
    public void A_tree_the_hidden_tests_do_not_compile_against_exits_3()
    {
        // A copy of the kit (sources only) whose skeleton storage stage has a syntax error.
        var kit = Path.Combine(_tree.Root, "kit");
        CopySources(KitRepository.Root, kit);
        var broken = Directory.EnumerateFiles(Path.Combine(kit, "skeletons", "PaxosLabs.Storage"), "*.cs").Order(StringComparer.Ordinal).First();
        File.AppendAllText(broken, "\nthis is not C#\n");

        var (code, output, error) = GradeCli.Run("grade", "skeletons", "--root", kit);

        Assert.True(code == 3, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("does not compile:", output, StringComparison.Ordinal);
        Assert.Contains($"  skeletons/PaxosLabs.Storage/{Path.GetFileName(broken)}(", output, StringComparison.Ordinal);
        Assert.Contains(": error CS", output, StringComparison.Ordinal);
        Assert.Equal("score: 0 (does not compile)", GradeCli.LastLine(output));
        var score = ScoreJson(Path.Combine(kit, "artifacts", "grade", "skeletons"));
        Assert.False(score.GetProperty("compiles").GetBoolean());
        Assert.Equal(0, score.GetProperty("total").GetInt32());
    }

    /// <summary>Copies the kit without version control, build output and test results.</summary>
    private static void CopySources(string from, string to)
    {
        string[] skipped = [".git", "artifacts", "bin", "obj", "TestResults"];
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from).Where(d => !skipped.Contains(Path.GetFileName(d))))
        {
            CopySources(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
