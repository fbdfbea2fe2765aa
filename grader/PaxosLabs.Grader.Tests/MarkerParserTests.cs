using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests;

public class MarkerParserTests
{
    [Fact]
    public void Block_region_with_stub_records_lines_solution_and_stub()
    {
        var file = MarkerParser.Parse("solutions/A.cs", Lines(
            "class A {",
            "    void M() {",
            "        // BEGIN TODO(1.1): Collect the replies.",
            "        var x = 1;",
            "        Use(x);",
            "        // STUB",
            "        // var replies = 0;",
            "        //",
            "        // throw new NotImplementedException();",
            "        // END TODO(1.1)",
            "    }",
            "}"));

        Assert.Empty(file.Errors);
        var region = Assert.Single(file.Regions);
        Assert.Equal(new TaskId(1, 1), region.Id);
        Assert.Equal("Collect the replies.", region.Instruction);
        Assert.Equal("        ", region.Indent);
        Assert.Equal((3, 6, 10), (region.BeginLine, region.StubLine!.Value, region.EndLine));
        Assert.Equal((4, 5), (region.FirstSolutionLine, region.LastSolutionLine));
        Assert.Equal("        var x = 1;\n        Use(x);", region.SolutionText);
        Assert.Equal("        var replies = 0;\n\n        throw new NotImplementedException();", region.StubText);
        Assert.True(file.IsEditable);
    }

    [Fact]
    public void Block_region_without_stub_has_no_stub_text_and_may_be_empty()
    {
        var file = MarkerParser.Parse("solutions/A.cs", Lines("// BEGIN TODO(4.12): Do it.", "// END TODO(4.12)"));

        Assert.Empty(file.Errors);
        var region = Assert.Single(file.Regions);
        Assert.Equal(new TaskId(4, 12), region.Id);
        Assert.Null(region.StubLine);
        Assert.Null(region.StubText);
        Assert.Equal(string.Empty, region.SolutionText);
    }

    [Fact]
    public void One_line_stub_is_recognized_with_its_code_and_replacement()
    {
        var file = MarkerParser.Parse("solutions/A.cs", Lines(
            "    public static int Quorum(int n) => n / 2 + 1; // STUB TODO(2.1): public static int Quorum(int n) => 0;"));

        Assert.Empty(file.Errors);
        var stub = Assert.Single(file.OneLineStubs);
        Assert.Equal(new TaskId(2, 1), stub.Id);
        Assert.Equal("    public static int Quorum(int n) => n / 2 + 1;", stub.Code);
        Assert.Equal("public static int Quorum(int n) => 0;", stub.Replacement);
        Assert.True(file.IsEditable);
    }

    [Theory]
    [InlineData("solutions/A.cs", "// INSTRUCTOR ONLY")]
    [InlineData("solutions/p/P.csproj", "<!-- INSTRUCTOR ONLY: reference tests -->")]
    [InlineData("solutions/run.sh", "# INSTRUCTOR ONLY")]
    public void First_non_blank_comment_INSTRUCTOR_ONLY_marks_the_file(string path, string marker)
    {
        var file = MarkerParser.Parse(path, Lines("", "  ", marker, "content"));

        Assert.True(file.IsInstructorOnly);
    }

    [Fact]
    public void INSTRUCTOR_ONLY_further_down_does_not_mark_the_file()
    {
        var file = MarkerParser.Parse("solutions/A.cs", Lines("using System;", "// INSTRUCTOR ONLY"));

        Assert.False(file.IsInstructorOnly);
    }

    [Fact]
    public void Task_markers_are_not_recognized_in_xml_or_hash_files()
    {
        var markdown = MarkerParser.Parse("solutions/README.md", Lines("// BEGIN TODO(1.1): x", "<!-- STUB -->"));
        var shell = MarkerParser.Parse("solutions/run.sh", Lines("# BEGIN TODO(1.1): x"));

        Assert.Empty(markdown.Errors);
        Assert.False(markdown.HasMarkers);
        Assert.Empty(shell.Errors);
        Assert.False(shell.HasMarkers);
    }

    [Fact]
    public void Files_of_unknown_type_are_not_looked_into()
    {
        var file = MarkerParser.Parse("solutions/data.json", Lines("// BEGIN TODO(1.1): x"));

        Assert.Null(file.Style);
        Assert.False(file.HasMarkers);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Tasks_of_a_file_come_in_line_order()
    {
        var file = MarkerParser.Parse("solutions/A.cs", Lines(
            "int a = 1; // STUB TODO(2.2): int a = 0;",
            "// BEGIN TODO(2.1): First.",
            "// END TODO(2.1)"));

        Assert.Equal(
            ["2.2 solutions/A.cs:1: int a = 0;", "2.1 solutions/A.cs:2: First."],
            file.Tasks.Select(t => t.ToString()));
    }

    [Theory]
    [InlineData("1.2", 1, 2)]
    [InlineData("10.33", 10, 33)]
    public void TaskId_parses_positive_pairs(string text, int stage, int number)
    {
        Assert.True(TaskId.TryParse(text, out var id));
        Assert.Equal(new TaskId(stage, number), id);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0.1")]
    [InlineData("1.0")]
    [InlineData("01.1")]
    [InlineData("1.2.3")]
    [InlineData("a.b")]
    [InlineData("-1.2")]
    [InlineData("")]
    public void TaskId_rejects_malformed_text(string text) => Assert.False(TaskId.TryParse(text, out _));
}
