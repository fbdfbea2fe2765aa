using System.Text;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Handout;

public sealed class HandoutGeneratorTests : IDisposable
{
    private readonly TestTree _kit = SmallKit.Create();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "handout-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _kit.Dispose();
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private Dictionary<string, string> Files() =>
        HandoutGenerator.Generate(_kit.Root).ToDictionary(f => f.RelativePath, f => Encoding.UTF8.GetString(f.Content));

    [Fact]
    public void The_handout_has_the_skeletons_under_src_and_the_student_material_but_nothing_of_the_staff()
    {
        var files = Files();

        Assert.Equal(
            [
                ".editorconfig", ".github/classroom/run-task-tests.sh", ".github/workflows/classroom.yml", ".gitignore", "Directory.Build.props", "Directory.Packages.props",
                "PaxosLabs.sln", "README.md", "assignments/01-quorum-calls/README.md", "docs/protocol.md", "docs/student-guide.md", "global.json", "protos/base.proto", "protos/p.proto",
                "src/P/A.cs", "src/P/P.csproj", "src/P/Shared.cs", "src/tests/T/ATests.cs", "src/tests/T/T.csproj",
            ],
            files.Keys);
        Assert.Equal(_kit.Read("skeletons/P/A.cs"), files["src/P/A.cs"]);
        Assert.Equal("# Start\n" + SmallKit.PointsTable + "Good luck.\n", files["assignments/01-quorum-calls/README.md"]);
    }

    [Fact]
    public void The_props_name_src_as_the_implementation_so_the_kit_rules_build_it_as_a_submission()
    {
        var props = Files()["Directory.Build.props"];

        Assert.StartsWith("<Project>\n  <!--\n    Handout:", props, StringComparison.Ordinal);
        Assert.Contains("<Impl Condition=\"'$(Impl)' == ''\">src</Impl>", props, StringComparison.Ordinal);
        Assert.EndsWith(SmallKit.Props[("<Project>\n".Length)..], props, StringComparison.Ordinal);
    }

    [Fact]
    public void The_solution_lists_every_src_project_with_stable_guids()
    {
        var sln = Files()["PaxosLabs.sln"];

        Assert.Contains("\"P\", \"src\\P\\P.csproj\", \"" + SolutionFileWriter.GuidOf("src/P/P.csproj") + "\"", sln, StringComparison.Ordinal);
        Assert.Contains("\"T\", \"src\\tests\\T\\T.csproj\"", sln, StringComparison.Ordinal);
        Assert.Equal(SolutionFileWriter.GuidOf("src/P/P.csproj"), SolutionFileWriter.GuidOf("src/P/P.csproj"));
        Assert.NotEqual(SolutionFileWriter.GuidOf("src/P/P.csproj"), SolutionFileWriter.GuidOf("src/tests/T/T.csproj"));
        Assert.Contains("\r\nEndGlobal\r\n", sln, StringComparison.Ordinal);
    }

    [Fact]
    public void The_handout_ships_the_protocol_and_its_readme_points_at_it()
    {
        var files = Files();

        Assert.Equal(_kit.Read("docs/protocol.md"), files["docs/protocol.md"]);
        Assert.Contains("[the protocol](docs/protocol.md)", files["README.md"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_kit_without_the_protocol_cannot_make_a_handout()
    {
        File.Delete(Path.Combine(_kit.Root, "docs", "protocol.md"));

        var error = Assert.Throws<GraderException>(() => HandoutGenerator.Generate(_kit.Root));

        Assert.Equal("the kit has no docs/protocol.md, which every handout includes", error.Message);
    }

    [Fact]
    public void The_command_refuses_a_handout_that_cites_what_it_lacks_naming_each_reference_and_writes_nothing()
    {
        _kit.Write("assignments/01-quorum-calls/README.md", "# Start\nThe rule is in [the spec](../../SPEC.md#1), see docs/rules.md and protocol §1.2.\n" + SmallKit.PointsTable);
        _kit.Write("solutions/P/Shared.cs", "namespace P;\n\n// SPEC §1 says so.\npublic static class Shared { }\n");
        SkeletonGenerator.Write(_kit.Root);

        var (code, _, error) = GradeCli.Run("handout", _out, "--root", _kit.Root);

        Assert.Equal(2, code);
        Assert.Equal(
            string.Join('\n',
                "error: the handout would have 5 reference(s) to what it does not contain, so nothing was written; fix them in the kit (src/ is skeletons/, generated from solutions/):",
                "  assignments/01-quorum-calls/README.md:2: cites ../../SPEC.md#1, which the handout does not contain",
                "  assignments/01-quorum-calls/README.md:2: cites SPEC.md, which the handout does not contain (the kit's rules are in docs/protocol.md: cite them as protocol §N.k)",
                "  assignments/01-quorum-calls/README.md:2: cites docs/rules.md, which the handout does not contain",
                "  assignments/01-quorum-calls/README.md:2: cites protocol §1.2, which the handout does not contain (docs/protocol.md has no section 1.2)",
                "  src/P/Shared.cs:3: cites SPEC §1, which the handout does not contain (the kit's rules are in docs/protocol.md: cite them as protocol §N.k)"),
            error.TrimEnd());
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public void The_command_writes_the_files_and_refuses_a_folder_that_is_not_empty_or_inside_the_kit()
    {
        var (code, output, error) = GradeCli.Run("handout", _out, "--root", _kit.Root);
        Assert.True(code == 0, output + error);
        Assert.True(File.Exists(Path.Combine(_out, "src", "P", "A.cs")));
        Assert.False(File.Exists(Path.Combine(_out, "src", "SOURCES.sha256")));

        Assert.Equal(2, GradeCli.Run("handout", _out, "--root", _kit.Root).Code);
        Assert.Equal(0, GradeCli.Run("handout", _out, "--root", _kit.Root, "--force").Code);
        var inside = GradeCli.Run("handout", Path.Combine(_kit.Root, "out"), "--root", _kit.Root);
        Assert.Equal(2, inside.Code);
        Assert.Contains("inside the kit", inside.Error, StringComparison.Ordinal);
    }
}
