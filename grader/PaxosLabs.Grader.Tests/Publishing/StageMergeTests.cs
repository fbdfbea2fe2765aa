using PaxosLabs.Grader.Publishing;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests.Publishing;

public sealed class StageMergeTests
{
    private static readonly ParsedFile File = MarkerParser.Parse("solutions/P/A.cs", SmallKit.Solution);
    private static readonly IReadOnlyList<RenderedPart> Parts = SkeletonRenderer.Parts(File, AssignmentFolders.None);
    private static readonly string Skeleton = SkeletonRenderer.Render(File, AssignmentFolders.None);

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void The_parts_of_a_file_join_into_its_skeleton() =>
        Assert.Equal(Skeleton, string.Concat(Parts.Select(p => p.Stub)));

    [Fact]
    public void A_file_still_as_handed_out_gets_the_stage_solutions_and_keeps_the_other_stubs()
    {
        var merge = StageMerge.Merge(File, Parts, 1, Skeleton);

        Assert.Equal(MergeAction.Replaced, merge.Action);
        Assert.Empty(merge.Conflicts);
        var text = merge.Text!;
        Assert.Contains("        // Task 1.1 (published solution): Return one.\n        return 1;\n    }", text, StringComparison.Ordinal);
        Assert.Contains("        var two = 2;\n        return two;\n", text, StringComparison.Ordinal);
        Assert.Contains("    public int Three() => 3;\n", text, StringComparison.Ordinal);
        Assert.Contains("        // TODO(2.1): Return forty-two.\n        return 0;\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TODO(1.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Publishing_twice_changes_nothing_the_second_time()
    {
        var once = StageMerge.Merge(File, Parts, 1, Skeleton).Text!;

        var twice = StageMerge.Merge(File, Parts, 1, once);

        Assert.Equal((MergeAction.Unchanged, null), (twice.Action, twice.Text));
    }

    [Fact]
    public void The_students_work_on_other_stages_is_kept_and_their_attempt_at_the_stage_replaced()
    {
        var student = Replace(Skeleton, "        return 0;\n", "        // my stage 2 work\n        return 6 * 7;\n");
        student = Replace(student, "        // TODO(1.1): Return one.\n        throw", "        // TODO(1.1): Return one.\n        if (true)\n        {\n            return 2;\n        }\n\n        throw");

        var merge = StageMerge.Merge(File, Parts, 1, student);

        Assert.Equal(MergeAction.Merged, merge.Action);
        Assert.Empty(merge.Conflicts);
        var expected = Replace(StageMerge.Merge(File, Parts, 1, Skeleton).Text!, "        return 0;\n", "        // my stage 2 work\n        return 6 * 7;\n");
        Assert.Equal(expected, merge.Text);
    }

    [Fact]
    public void A_region_whose_surrounding_lines_changed_is_left_alone_and_reported()
    {
        var student = Replace(Skeleton, "    public int One()\n    {\n", "    public int One() // renamed?\n    {{\n");

        var merge = StageMerge.Merge(File, Parts, 1, student);

        var conflict = Assert.Single(merge.Conflicts);
        Assert.StartsWith("task 1.1: the lines around it changed", conflict, StringComparison.Ordinal);
        Assert.Contains("// TODO(1.1): Return one.", merge.Text, StringComparison.Ordinal);
        Assert.Contains("// Task 1.2 (published solution)", merge.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        var merge = StageMerge.Merge(File, Parts, 2, Skeleton.ReplaceLineEndings("\r\n"));

        Assert.Equal(MergeAction.Replaced, merge.Action);
        Assert.Contains("// Task 2.1 (published solution): Return forty-two.\r\n        return 42;\r\n", merge.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", merge.Text!.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_late_alignment_puts_inserted_lines_before_the_lines_that_follow()
    {
        string[] from = ["a", "x", "}", "b"];
        string[] to = ["a", "y", "}", "z", "}", "b"];

        Assert.Equal([0, -1, 2, 5], LineAlignment.Align(from, to, early: true)!);
        Assert.Equal([0, -1, 4, 5], LineAlignment.Align(from, to, early: false)!);
    }
}
