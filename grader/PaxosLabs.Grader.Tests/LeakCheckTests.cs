using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests;

public class LeakCheckTests
{
    private static readonly string Solution = Lines(
        "class A",                                                  // 1
        "{",                                                        // 2
        "    void M()",                                             // 3
        "    {",                                                    // 4
        "        var replies = new Dictionary<uint, int>();",       // 5  shared: also inside the region
        "        // BEGIN TODO(1.1): Collect.",                     // 6
        "        var replies = new Dictionary<uint, int>();",       // 7
        "        foreach (var reply in Collect(replies))",          // 8  secret
        "        {",                                                // 9  trivial
        "            return;",                                      // 10 trivial (short)
        "        }",                                                // 11
        "        // STUB",                                          // 12
        "        // throw new NotImplementedException();",         // 13
        "        // END TODO(1.1)",                                // 14
        "    }",                                                    // 15
        "    int Quorum(int n) => n / 2 + 1; // STUB TODO(1.2): int Quorum(int n) => 0;", // 16
        "}");

    [Fact]
    public void Clean_skeleton_has_no_leak()
    {
        var parsed = MarkerParser.Parse("solutions/A.cs", Solution);
        var skeleton = SkeletonRenderer.Render(parsed, AssignmentFolders.None);

        Assert.Empty(LeakCheck.Find(parsed, skeleton));
    }

    [Fact]
    public void Leaked_region_line_is_found_with_both_line_numbers()
    {
        var skeleton = Lines("class A", "{", "    // TODO(1.1): Collect.", "  foreach (var reply   in Collect(replies))", "}");

        var leak = Assert.Single(LeakCheck.Find("solutions/A.cs", Solution, skeleton));

        Assert.Equal(new Leak("solutions/A.cs", 8, 4, "foreach (var reply in Collect(replies))"), leak);
    }

    [Fact]
    public void One_line_stub_code_and_instructor_lines_count_as_solution()
    {
        var solution = Lines(
            "int Quorum(int n) => n / 2 + 1; // STUB TODO(1.2): int Quorum(int n) => 0;",
            "// BEGIN INSTRUCTOR",
            "private static readonly string GradingKey = \"k\";",
            "// END INSTRUCTOR");
        var skeleton = Lines("int Quorum(int n) => n / 2 + 1;", "private static readonly string GradingKey = \"k\";");

        Assert.Equal([1, 3], LeakCheck.Find("solutions/A.cs", solution, skeleton).Select(l => l.SolutionLine));
    }

    [Fact]
    public void Shared_and_trivial_lines_are_ignored()
    {
        // Line 7 equals line 5, which is outside the region; lines 9-11 are braces or too short.
        var skeleton = Lines("var replies = new Dictionary<uint, int>();", "{", "return;", "}");

        Assert.Empty(LeakCheck.Find("solutions/A.cs", Solution, skeleton));
    }

    [Theory]
    [InlineData("return x;", true)]
    [InlineData("    });   ", true)]
    [InlineData("})); // done!!!!", false)]
    [InlineData("}));;;;;;;;;;;;;;;", true)]
    [InlineData("return replies.Count;", false)]
    public void Trivial_lines_are_short_or_bare(string line, bool trivial) => Assert.Equal(trivial, LeakCheck.IsTrivial(line));
}
