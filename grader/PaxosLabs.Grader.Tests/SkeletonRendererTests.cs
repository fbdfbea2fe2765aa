using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests;

public class SkeletonRendererTests
{
    private static readonly AssignmentFolders Assignments = new(["02-paxos", "01-quorum-calls", "01-zz-later"]);

    private static string Render(string path, string text, AssignmentFolders? assignments = null) =>
        SkeletonRenderer.Render(MarkerParser.Parse(path, text), assignments ?? AssignmentFolders.None);

    [Fact]
    public void Block_region_with_stub_becomes_todo_comment_and_uncommented_stub()
    {
        var skeleton = Render("A.cs", Lines(
            "class A",
            "{",
            "    int M()",
            "    {",
            "        // BEGIN TODO(1.1): Collect the replies.",
            "        var secret = Solve();",
            "        return secret;",
            "        // STUB",
            "        // var replies = new Dictionary<uint, int>();",
            "        //",
            "        //     return 0;",
            "        // END TODO(1.1)",
            "    }",
            "}"));

        Assert.Equal(
            Lines(
                "class A",
                "{",
                "    int M()",
                "    {",
                "        // TODO(1.1): Collect the replies.",
                "        var replies = new Dictionary<uint, int>();",
                "",
                "            return 0;",
                "    }",
                "}"),
            skeleton);
    }

    [Fact]
    public void Block_region_without_stub_throws_with_a_pointer_to_the_assignment()
    {
        var skeleton = Render(
            "A.cs",
            Lines("  // BEGIN TODO(1.1): Collect the replies.", "  return Solve();", "  // END TODO(1.1)"),
            Assignments);

        Assert.Equal(
            Lines(
                "  // TODO(1.1): Collect the replies.",
                "  throw new NotImplementedException(\"TODO(1.1): Collect the replies. See assignments/01-quorum-calls/README.md, task 1.1.\");"),
            skeleton);
    }

    [Fact]
    public void Default_stub_omits_the_pointer_when_no_assignment_folder_matches()
    {
        Assert.Equal(
            "throw new NotImplementedException(\"TODO(3.1): Do it.\");",
            SkeletonRenderer.DefaultStub(new TaskId(3, 1), "Do it.", Assignments));
        Assert.Equal(
            "throw new NotImplementedException(\"TODO(1.2): Do it.\");",
            SkeletonRenderer.DefaultStub(new TaskId(1, 2), "Do it.", AssignmentFolders.None));
    }

    [Fact]
    public void Default_stub_escapes_quotes_and_backslashes()
    {
        var stub = SkeletonRenderer.DefaultStub(new TaskId(2, 3), "Return \"ok\" for C:\\path\tnow.", Assignments);

        Assert.Equal(
            "throw new NotImplementedException(\"TODO(2.3): Return \\\"ok\\\" for C:\\\\path\\tnow. See assignments/02-paxos/README.md, task 2.3.\");",
            stub);
    }

    [Fact]
    public void Assignment_folder_is_chosen_by_two_digit_stage_prefix()
    {
        var folders = new AssignmentFolders(["1-wrong", "010-wrong", "10-ten", "01-one"]);

        Assert.Equal("assignments/01-one/README.md", folders.ReadmeFor(1));
        Assert.Equal("assignments/10-ten/README.md", folders.ReadmeFor(10));
        Assert.Null(folders.ReadmeFor(2));
    }

    [Fact]
    public void Proto_region_without_stub_keeps_only_the_todo_comment()
    {
        var skeleton = Render("x.proto", Lines(
            "message M {",
            "  // BEGIN TODO(2.1): Add the ballot field.",
            "  uint64 ballot = 1;",
            "  // END TODO(2.1)",
            "}"));

        Assert.Equal(Lines("message M {", "  // TODO(2.1): Add the ballot field.", "}"), skeleton);
    }

    [Fact]
    public void One_line_stub_replaces_the_code_and_keeps_indentation()
    {
        var skeleton = Render("A.cs", Lines(
            "    public static int Quorum(int n) => n / 2 + 1; // STUB TODO(2.1): public static int Quorum(int n) => throw new NotImplementedException(\"TODO(2.1)\");"));

        Assert.Equal(
            Lines("    public static int Quorum(int n) => throw new NotImplementedException(\"TODO(2.1)\"); // TODO(2.1)"),
            skeleton);
    }

    [Fact]
    public void Instructor_regions_vanish_with_their_markers()
    {
        var cs = Render("A.cs", Lines("a", "    // BEGIN INSTRUCTOR: grading hook", "    Hook();", "    // END INSTRUCTOR", "b"));
        var xml = Render("P.csproj", Lines("<Project>", "  <!-- BEGIN INSTRUCTOR -->", "  <Secret />", "  <!-- END INSTRUCTOR -->", "</Project>"));
        var yml = Render("ci.yml", Lines("a: 1", "# BEGIN INSTRUCTOR", "b: 2", "# END INSTRUCTOR"));

        Assert.Equal(Lines("a", "b"), cs);
        Assert.Equal(Lines("<Project>", "</Project>"), xml);
        Assert.Equal(Lines("a: 1"), yml);
    }

    [Fact]
    public void Indentation_of_begin_marker_is_used_for_todo_and_default_stub()
    {
        var skeleton = Render("A.cs", Lines("\t\t// BEGIN TODO(1.1): Go.", "\t\tGo();", "\t\t// END TODO(1.1)"));

        Assert.Equal(Lines("\t\t// TODO(1.1): Go.", "\t\tthrow new NotImplementedException(\"TODO(1.1): Go.\");"), skeleton);
    }

    [Fact]
    public void Missing_final_newline_is_preserved()
    {
        var skeleton = Render("A.cs", "x\n// BEGIN TODO(1.1): Go.\nGo();\n// STUB\n// Stub();\n// END TODO(1.1)");

        Assert.Equal("x\n// TODO(1.1): Go.\nStub();", skeleton);
    }

    [Fact]
    public void Crlf_line_endings_are_kept()
    {
        var skeleton = Render("A.cs", "x\r\n// BEGIN TODO(1.1): Go.\r\nGo();\r\n// END TODO(1.1)\r\ny\r\n");

        Assert.Equal("x\r\n// TODO(1.1): Go.\r\nthrow new NotImplementedException(\"TODO(1.1): Go.\");\r\ny\r\n", skeleton);
    }

    [Fact]
    public void No_solution_line_survives()
    {
        var solution = Lines(
            "// BEGIN TODO(1.1): Go.",
            "var answer = ComputeTheAnswer();",
            "// STUB",
            "// var answer = 0;",
            "// END TODO(1.1)",
            "int Value() => 42; // STUB TODO(1.2): int Value() => 0;");

        var skeleton = Render("A.cs", solution);

        Assert.DoesNotContain("ComputeTheAnswer", skeleton, StringComparison.Ordinal);
        Assert.DoesNotContain("42", skeleton, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", skeleton, StringComparison.Ordinal);
        Assert.DoesNotContain("END TODO", skeleton, StringComparison.Ordinal);
        Assert.DoesNotContain("STUB", skeleton, StringComparison.Ordinal);
    }
}
