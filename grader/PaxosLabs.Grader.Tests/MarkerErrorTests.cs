using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests;

/// <summary>Each malformed marker gives exactly one error, at the right <c>path:line</c>.</summary>
public class MarkerErrorTests
{
    [Theory]
    // nesting
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// BEGIN TODO(1.2): b\n// END TODO(1.2)\n// END TODO(1.1)\n", 2, "regions cannot nest")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\nint a; // STUB TODO(1.2): int b;\n// END TODO(1.1)\n", 2, "regions cannot nest")]
    // END without BEGIN, mismatched END, BEGIN without END
    [InlineData("solutions/A.cs", "x\n// END TODO(1.1)\n", 2, "END TODO(1.1) without a matching BEGIN")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// END TODO(1.2)\n", 2, "END TODO(1.2) does not match BEGIN TODO(1.1) at line 1")]
    [InlineData("solutions/A.cs", "x\n// BEGIN TODO(1.1): a\ny\n", 2, "BEGIN TODO(1.1) has no matching END TODO(1.1)")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// END TODO(1.1) done\n", 2, "unexpected text after END TODO(1.1)")]
    // missing or malformed task id
    [InlineData("solutions/A.cs", "// BEGIN TODO: a\n// END TODO(1.1)\n", 1, "BEGIN TODO is missing its task id")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.0): a\n// END TODO(1.1)\n", 1, "malformed task id '1.0' in BEGIN TODO")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// END TODO(x)\n", 2, "malformed task id 'x' in END TODO")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// END TODO\n", 2, "END TODO is missing its task id")]
    [InlineData("solutions/A.cs", "int a = 1; // STUB TODO(1): int a = 0;\n", 1, "malformed task id '1' in STUB TODO")]
    [InlineData("solutions/A.cs", "int a = 1; // STUB TODO: int a = 0;\n", 1, "STUB TODO is missing its task id")]
    // missing or empty instruction
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1) a\n// END TODO(1.1)\n", 1, "needs ': instruction'")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1):   \n// END TODO(1.1)\n", 1, "BEGIN TODO(1.1) has an empty instruction")]
    [InlineData("solutions/A.cs", "int a = 1; // STUB TODO(1.1):\n", 1, "STUB TODO(1.1) has an empty replacement")]
    [InlineData("solutions/A.cs", "    // STUB TODO(1.1): int a = 0;\n", 1, "must follow code on the same line")]
    // STUB misuse
    [InlineData("solutions/A.cs", "x\n// STUB\n", 2, "STUB outside a BEGIN TODO/END TODO region")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// STUB\n// x\n// STUB\n// END TODO(1.1)\n", 4, "second STUB in region TODO(1.1) (the first is at line 2)")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// STUB\n// ok\nvar x = 1;\n// END TODO(1.1)\n", 4, "STUB section of TODO(1.1) is not a `//` comment")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// STUB\n\n// END TODO(1.1)\n", 3, "is not a `//` comment")]
    // instructor markers
    [InlineData("solutions/A.cs", "x\n// END INSTRUCTOR\n", 2, "END INSTRUCTOR without BEGIN INSTRUCTOR")]
    [InlineData("solutions/A.cs", "// BEGIN INSTRUCTOR\nx\n", 1, "BEGIN INSTRUCTOR has no matching END INSTRUCTOR")]
    [InlineData("solutions/A.cs", "// BEGIN INSTRUCTOR\n// BEGIN INSTRUCTOR\n// END INSTRUCTOR\n", 2, "instructor markers are unbalanced")]
    [InlineData("solutions/p/P.csproj", "<Project>\n  <!-- END INSTRUCTOR -->\n</Project>\n", 2, "END INSTRUCTOR without BEGIN INSTRUCTOR")]
    [InlineData("solutions/ci.yml", "a: 1\n# BEGIN INSTRUCTOR\n", 2, "BEGIN INSTRUCTOR has no matching END INSTRUCTOR")]
    [InlineData("solutions/A.cs", "// BEGIN TODO(1.1): a\n// BEGIN INSTRUCTOR\n// END TODO(1.1)\n", 2, "instructor marker inside region TODO(1.1) opened at line 1")]
    // task markers inside instructor regions
    [InlineData("solutions/A.cs", "// BEGIN INSTRUCTOR\nint a; // STUB TODO(1.1): int b;\n// END INSTRUCTOR\n", 2, "task marker inside the instructor region opened at line 1")]
    [InlineData("solutions/A.cs", "// BEGIN INSTRUCTOR\n// STUB\n// END INSTRUCTOR\n", 2, "task marker inside the instructor region opened at line 1")]
    public void Malformed_marker_is_reported_once_at_its_line(string path, string text, int line, string message)
    {
        var error = Assert.Single(MarkerParser.Parse(path, text).Errors);

        Assert.Equal(path, error.Path);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Task_region_inside_instructor_region_reports_each_marker()
    {
        var errors = MarkerParser.Parse(
            "solutions/A.cs",
            "// BEGIN INSTRUCTOR\n// BEGIN TODO(1.1): a\n// END TODO(1.1)\n// END INSTRUCTOR\n").Errors;

        Assert.Equal([2, 3], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Contains("inside the instructor region", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void All_errors_of_a_file_are_collected()
    {
        var errors = MarkerParser.Parse(
            "solutions/A.cs",
            "// STUB\n// END TODO(2.1)\n// BEGIN TODO(x): a\n// END TODO(1.1)\n// BEGIN INSTRUCTOR\n").Errors;

        Assert.Equal([1, 2, 3, 5], errors.Select(e => e.Line));
    }

    [Fact]
    public void Rendering_a_file_with_errors_is_refused()
    {
        var file = MarkerParser.Parse("solutions/A.cs", "// STUB\n");

        Assert.Throws<InvalidOperationException>(() => SkeletonRenderer.Render(file, AssignmentFolders.None));
    }
}
