using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Tests.Submissions;

public sealed class SubmissionOverlayTests : IDisposable
{
    private readonly TestTree _kit = SmallKit.Create();
    private readonly string _student = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "student-" + Guid.NewGuid().ToString("N"), "alice");

    public void Dispose()
    {
        _kit.Dispose();
        if (Directory.Exists(Path.GetDirectoryName(_student)))
        {
            Directory.Delete(Path.GetDirectoryName(_student)!, recursive: true);
        }
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_student, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string Overlay(string relative) => File.ReadAllText(Path.Combine(SubmissionOverlay.OverlayDirectory(_kit.Root, "alice"), relative));

    /// <summary>
    /// A build of the overlay's path may exist already (an autograder image prebuilds it): a student's
    /// file older than that build, or a stub put back where an earlier submission had one, must
    /// still be compiled, and MSBuild compares times, not contents.
    /// </summary>
    [Fact]
    public void Every_editable_file_of_the_overlay_is_newer_than_any_earlier_build_whatever_its_time_in_the_submission()
    {
        HandoutGenerator.Write(_kit.Root, _student, force: false);
        Write("src/P/A.cs", "// my answer\n");
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(_student, "src/P/A.cs"), old);
        File.SetLastWriteTimeUtc(Path.Combine(_kit.Skeletons, "P/A.cs"), old);
        var before = DateTime.UtcNow.AddSeconds(-2); // file systems keep coarser times than the clock

        SubmissionOverlay.Prepare(_kit.Root, _student, "alice");

        var overlay = SubmissionOverlay.OverlayDirectory(_kit.Root, "alice");
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(overlay, "P/A.cs")) >= before);
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(_kit.Skeletons, "P/Shared.cs")), File.GetLastWriteTimeUtc(Path.Combine(overlay, "P/Shared.cs"))); // not editable: as the kit has it

        // The next submission's file is a link, not taken: the old stub goes back in its place.
        File.Move(Path.Combine(_student, "src/P/A.cs"), Path.Combine(_student, "answer.cs"));
        File.CreateSymbolicLink(Path.Combine(_student, "src/P/A.cs"), Path.Combine(_student, "answer.cs"));
        Assert.Empty(SubmissionOverlay.Prepare(_kit.Root, _student, "alice").Taken);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(overlay, "P/A.cs")) >= before);
        Assert.Equal(_kit.Read("skeletons/P/A.cs"), Overlay("P/A.cs"));
    }

    [Fact]
    public void Only_the_editable_files_are_taken_and_every_other_difference_is_listed_as_ignored()
    {
        HandoutGenerator.Write(_kit.Root, _student, force: false);
        Write("src/P/A.cs", "// my answer\n");
        Write("src/P/Shared.cs", "// I changed the framework\n");
        Write("src/tests/T/ATests.cs", "// all my tests pass now\n");
        Write("src/P/Extra.cs", "// a new file\n");
        Write("Directory.Build.props", "<Project />\n");
        Write("grader/PaxosLabs.HiddenTests/Hidden.cs", "// a fake hidden test\n");
        Write(".git/config", "[core]\n");
        Write("src/P/bin/Debug/out.dll", "build output\n");
        var readme = Path.Combine(_student, "README.md");
        File.WriteAllText(readme, File.ReadAllText(readme).ReplaceLineEndings("\r\n")); // a Windows checkout is no change

        var prepared = SubmissionOverlay.Prepare(_kit.Root, _student, "alice");

        Assert.Equal(SubmissionLayout.Handout, prepared.Layout);
        Assert.Equal("src/", prepared.SourcePrefix);
        Assert.Equal(["src/P/A.cs"], prepared.Taken);
        Assert.Empty(prepared.Missing);
        Assert.Equal(
            [
                "Directory.Build.props (changed)",
                "grader/PaxosLabs.HiddenTests/Hidden.cs (not in the handout)",
                "src/P/Extra.cs (not in the handout)",
                "src/P/Shared.cs (changed)",
                "src/tests/T/ATests.cs (changed)",
            ],
            prepared.Ignored.Select(i => i.ToString()));
        Assert.Equal("// my answer\n", Overlay("P/A.cs"));
        Assert.Equal(_kit.Read("skeletons/P/Shared.cs"), Overlay("P/Shared.cs"));
        Assert.Equal(_kit.Read("skeletons/tests/T/ATests.cs"), Overlay("tests/T/ATests.cs"));
        Assert.False(File.Exists(Path.Combine(prepared.OverlayDirectory, "P", "Extra.cs")));
        Assert.Equal(Path.Combine(_kit.Root, ".grade", "alice"), prepared.OverlayDirectory);
    }

    [Fact]
    public void A_tree_shaped_like_skeletons_is_taken_from_its_top()
    {
        Write("P/A.cs", "// my answer\n");
        Write("P/Shared.cs", _kit.Read("skeletons/P/Shared.cs"));

        var prepared = SubmissionOverlay.Prepare(_kit.Root, _student, "alice");

        Assert.Equal((SubmissionLayout.Tree, ""), (prepared.Layout, prepared.SourcePrefix));
        Assert.Equal(["P/A.cs"], prepared.Taken);
        Assert.Empty(prepared.Ignored);
        Assert.Equal("// my answer\n", Overlay("P/A.cs"));
    }

    [Fact]
    public void Laying_a_new_submission_over_starts_from_pristine_skeletons()
    {
        Write("P/A.cs", "// first\n");
        SubmissionOverlay.Prepare(_kit.Root, _student, "alice");
        File.WriteAllText(Path.Combine(SubmissionOverlay.OverlayDirectory(_kit.Root, "alice"), "P", "Shared.cs"), "// left over\n");

        SubmissionOverlay.Prepare(_kit.Root, _student, "alice");

        Assert.Equal(_kit.Read("skeletons/P/Shared.cs"), Overlay("P/Shared.cs"));
    }

    [Fact]
    public void An_editable_file_that_is_a_link_is_not_followed()
    {
        Write("elsewhere.cs", "// someone else's file\n");
        Directory.CreateDirectory(Path.Combine(_student, "P"));
        File.CreateSymbolicLink(Path.Combine(_student, "P", "A.cs"), Path.Combine(_student, "elsewhere.cs"));

        var prepared = SubmissionOverlay.Prepare(_kit.Root, _student, "alice");

        Assert.Empty(prepared.Taken);
        Assert.Contains(prepared.Ignored, i => i.Path == "P/A.cs" && i.Reason.StartsWith("a link", StringComparison.Ordinal));
        Assert.Equal(_kit.Read("skeletons/P/A.cs"), Overlay("P/A.cs"));
    }

    [Fact]
    public void A_folder_without_any_editable_file_is_refused()
    {
        Write("notes.txt", "nothing here\n");

        var error = Assert.Throws<GraderException>(() => SubmissionOverlay.Prepare(_kit.Root, _student, "alice"));
        Assert.Contains("none of the student-editable files", error.Message, StringComparison.Ordinal);
        Assert.Throws<GraderException>(() => SubmissionOverlay.Prepare(_kit.Root, _student + "-missing", "x"));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Bob Smith (2)", "Bob_Smith__2_")]
    [InlineData("../..", "_")]
    [InlineData("", "submission")]
    public void Names_are_made_safe_for_folders(string name, string safe) => Assert.Equal(safe, SubmissionOverlay.SafeName(name));
}
