using static PaxosLabs.Grader.Tests.TestTree;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests;

public sealed class CliTests : IDisposable
{
    private readonly TestTree tree = new();

    public void Dispose() => tree.Dispose();

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("bogus")]
    [InlineData("skeletons", "--nope")]
    [InlineData("tasks", "--root")]
    public void Bad_arguments_give_one_line_and_exit_code_2(params string[] args) => GradeCli.AssertUsageError(args);

    [Fact]
    public void Root_that_is_not_a_kit_gives_exit_code_2()
    {
        var (code, _, error) = Run("tasks", "--root", Path.Combine(tree.Root, "solutions"));

        Assert.Equal(2, code);
        Assert.Contains("not a kit root", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Skeletons_then_check_exit_0_and_check_exits_1_when_stale()
    {
        tree.Write("solutions/P/A.cs", "// BEGIN TODO(1.1): Go.\nGo();\n// END TODO(1.1)\n");
        tree.Write("solutions/P/B.cs", "class B { }\n");

        Assert.Equal(1, Run("skeletons", "--check", "--root", tree.Root).Code);
        Assert.Equal(0, Run("skeletons", "--root", tree.Root).Code);
        var upToDate = Run("skeletons", "--check", "--root", tree.Root);
        Assert.Equal((0, "skeletons/ is up to date (3 files)\n"), (upToDate.Code, upToDate.Output.ReplaceLineEndings("\n")));

        File.Delete(Path.Combine(tree.Skeletons, "P/B.cs"));
        tree.Write("skeletons/P/C.cs", "class C { }\n");
        var stale = Run("skeletons", "--check", "--root", tree.Root);
        Assert.Equal(1, stale.Code);
        var lines = stale.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("skeletons/P/B.cs: missing", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("skeletons/P/C.cs: has no counterpart in solutions/", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Marker_errors_are_listed_with_exit_code_2()
    {
        tree.Write("solutions/A.cs", "// END TODO(1.1)\n");

        var (code, _, error) = Run("skeletons", "--root", tree.Root);

        Assert.Equal(2, code);
        Assert.StartsWith("solutions/A.cs:1: END TODO(1.1) without a matching BEGIN", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Editable_and_tasks_print_one_entry_per_line()
    {
        tree.Write("solutions/P/A.cs", "// BEGIN TODO(1.10): Later.\n// END TODO(1.10)\n// BEGIN TODO(1.9): Sooner.\n// END TODO(1.9)\n");

        Assert.Equal((0, "P/A.cs\n"), Normalize(Run("editable", "--root", tree.Root)));
        Assert.Equal(
            (0, "1.9   solutions/P/A.cs:3  Sooner.\n1.10  solutions/P/A.cs:1  Later.\n"),
            Normalize(Run("tasks", "--root", tree.Root)));
    }

    private static (int, string) Normalize((int Code, string Output, string Error) result) =>
        (result.Code, result.Output.ReplaceLineEndings("\n"));
}
