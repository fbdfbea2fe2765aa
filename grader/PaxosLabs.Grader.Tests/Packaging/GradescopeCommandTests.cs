using System.IO.Compression;
using PaxosLabs.Grader.Packaging;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Packaging;

public sealed class GradescopeCommandTests : IDisposable
{
    private readonly TestTree _kit = SmallKit.Create();

    public void Dispose() => _kit.Dispose();

    private string Zip => Path.Combine(_kit.Root, "out", "autograder.zip");

    private string RunScript()
    {
        using var archive = ZipFile.OpenRead(Zip);
        using var reader = new StreamReader(archive.GetEntry(GradescopePackage.RunFile)!.Open());
        return reader.ReadToEnd();
    }

    [Theory]
    [InlineData("gradescope")]
    [InlineData("gradescope", "--out", "autograder.tar")]
    [InlineData("gradescope", "--out", ".zip")]
    [InlineData("gradescope", "--out", "a.zip", "--visibility", "public")]
    [InlineData("gradescope", "--out", "a.zip", "--stage-timeout", "0")]
    [InlineData("gradescope", "--out", "a.zip", "--test-timeout", "soon")]
    [InlineData("gradescope", "--out", "a.zip", "--sandbox", "docker")]
    public void Bad_arguments_give_one_line_and_exit_code_2(params string[] args) => GradeCli.AssertUsageError(args);

    [Fact]
    public void The_grade_options_given_are_baked_into_run_autograder()
    {
        var (code, output, error) = GradeCli.Run(
            "gradescope", "--root", _kit.Root, "--out", Zip, "--visibility", "visible", "--stage-timeout", "77", "--test-timeout", "33", "--sandbox", "user");

        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.StartsWith($"autograder written to {Zip} (", output, StringComparison.Ordinal);
        Assert.Contains("run_autograder grades with: --visibility visible --stage-timeout 77 --test-timeout 33 --sandbox user\n", output, StringComparison.Ordinal);
        Assert.Contains("worst case of one submission: 19 min", output, StringComparison.Ordinal); // 15 + 2 stages × 77 s + 1
        Assert.Contains("--out \"$reports\" --visibility visible --stage-timeout 77 --test-timeout 33 --sandbox user", RunScript(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_options_run_autograder_grades_after_published_with_gradescope_sized_bounds()
    {
        var (code, output, error) = GradeCli.Run("gradescope", "--root", _kit.Root, "--out", Zip);

        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("--visibility after_published --stage-timeout 180 --test-timeout 120 --sandbox auto", RunScript(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_zip_without_force_is_one_line_and_exit_code_2()
    {
        Assert.Equal(0, GradeCli.Run("gradescope", "--root", _kit.Root, "--out", Zip).Code);

        var (code, _, error) = GradeCli.Run("gradescope", "--root", _kit.Root, "--out", Zip);
        Assert.Equal((2, $"error: {Zip} exists; pass --force to overwrite it\n"), (code, error));
        Assert.Equal(0, GradeCli.Run("gradescope", "--root", _kit.Root, "--out", Zip, "--force").Code);
    }
}
