using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Publishing;

public sealed class PublishCommandTests : IDisposable
{
    private readonly TestTree _kit = SmallKit.Create();
    private readonly string _handout = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "publish-" + Guid.NewGuid().ToString("N"));

    public PublishCommandTests() => HandoutGenerator.Write(_kit.Root, _handout, force: false);

    public void Dispose()
    {
        _kit.Dispose();
        Directory.Delete(_handout, recursive: true);
    }

    private string Source => Path.Combine(_handout, "src", "P", "A.cs");

    [Fact]
    public void Publishing_a_stage_replaces_its_stubs_and_leaves_the_other_stages()
    {
        var (code, output, error) = GradeCli.Run("publish", "--stage", "2", _handout, "--root", _kit.Root);

        Assert.True(code == 0, output + error);
        Assert.Equal("src/P/A.cs: published\nstage 2: 1 file(s), 0 region(s) not placed\n", output);
        var text = File.ReadAllText(Source);
        Assert.Contains("        return 42;\n", text, StringComparison.Ordinal);
        Assert.Contains("// TODO(1.1): Return one.", text, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(_kit.Skeletons, "P", "Shared.cs")), File.ReadAllText(Path.Combine(_handout, "src", "P", "Shared.cs")));
    }

    [Fact]
    public void A_region_that_cannot_be_placed_exits_1_and_names_it()
    {
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("    public int Later()\n    {\n", "    public int Later()\n    { // mine\n", StringComparison.Ordinal));

        var (code, output, _) = GradeCli.Run("publish", "--stage", "2", _handout, "--root", _kit.Root);

        Assert.Equal(1, code);
        Assert.Contains("task 2.1: the lines around it changed", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--stage", "0")]
    [InlineData("--stage", "9")]
    [InlineData("--stage", "two")]
    public void A_stage_without_tasks_or_not_a_number_exits_2(string option, string value)
    {
        var (code, _, error) = GradeCli.Run("publish", option, value, _handout, "--root", _kit.Root);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_that_is_not_a_student_repository_exits_2()
    {
        var (code, _, error) = GradeCli.Run("publish", "--stage", "1", _kit.Root, "--root", _kit.Root);

        Assert.Equal(2, code);
        Assert.Contains("has no src/ folder", error, StringComparison.Ordinal);
    }
}
