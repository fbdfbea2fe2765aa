using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests;

public sealed class SkeletonGeneratorTests : IDisposable
{
    private static readonly string Marked = Lines(
        "class A",
        "{",
        "    int M()",
        "    {",
        "        // BEGIN TODO(1.1): Compute.",
        "        return 41 + 1;",
        "        // END TODO(1.1)",
        "    }",
        "}");

    private readonly TestTree tree = new();

    public void Dispose() => tree.Dispose();

    [Fact]
    public void Files_without_markers_and_binary_files_are_copied_byte_for_byte()
    {
        byte[] binary = [0x00, 0xFF, 0x10, 0x0A, 0xC3];
        var withBom = "\uFEFFusing System;\r\nclass B { }"u8.ToArray();
        tree.WriteBytes("solutions/P/icon.png", binary);
        tree.WriteBytes("solutions/P/B.cs", withBom);
        tree.Write("solutions/P/.editorconfig", "root = true\n");
        tree.Write("solutions/P/notes.txt", "// BEGIN TODO(1.1): not a marker here\n");

        SkeletonGenerator.Write(tree.Root);

        Assert.Equal(binary, File.ReadAllBytes(Path.Combine(tree.Skeletons, "P/icon.png")));
        Assert.Equal(withBom, File.ReadAllBytes(Path.Combine(tree.Skeletons, "P/B.cs")));
        Assert.Equal("root = true\n", tree.Read("skeletons/P/.editorconfig"));
        Assert.Equal("// BEGIN TODO(1.1): not a marker here\n", tree.Read("skeletons/P/notes.txt"));
    }

    [Fact]
    public void Marked_files_are_transformed_and_instructor_only_files_omitted()
    {
        tree.Write("solutions/P/A.cs", Marked);
        tree.Write("solutions/P/Secret.cs", "// INSTRUCTOR ONLY\nclass Secret { }\n");
        tree.Write("assignments/01-quorum-calls/README.md", "# Quorum calls\n");

        var generated = SkeletonGenerator.Generate(tree.Root);

        Assert.Equal(["P/A.cs", SkeletonGenerator.SourcesManifest], generated.Select(f => f.RelativePath));
        var file = generated[0];
        Assert.True(file.IsTransformed);
        SkeletonGenerator.Write(tree.Root);
        Assert.Contains(
            "        throw new NotImplementedException(\"TODO(1.1): Compute. See assignments/01-quorum-calls/README.md, task 1.1.\");\n",
            tree.Read("skeletons/P/A.cs"),
            StringComparison.Ordinal);
        Assert.False(tree.Exists("skeletons/P/Secret.cs"));
    }

    [Fact]
    public void Write_deletes_extra_files_and_empty_directories_but_not_build_output()
    {
        tree.Write("solutions/P/A.cs", Marked);
        tree.Write("skeletons/P/Old.cs", "class Old { }\n");
        tree.Write("skeletons/Gone/Deep/X.cs", "class X { }\n");
        tree.Write("skeletons/P/obj/cache.txt", "build output\n");

        var summary = SkeletonGenerator.Write(tree.Root);

        Assert.Equal(new WriteSummary(Files: 2, Written: 2, Deleted: 2), summary); // A.cs and the sources manifest
        Assert.False(tree.Exists("skeletons/P/Old.cs"));
        Assert.False(Directory.Exists(Path.Combine(tree.Skeletons, "Gone")));
        Assert.True(tree.Exists("skeletons/P/obj/cache.txt"));
    }

    [Fact]
    public void Build_output_folders_in_solutions_are_ignored()
    {
        tree.Write("solutions/P/A.cs", Marked);
        tree.Write("solutions/P/bin/Debug/A.dll", "x");
        tree.Write("solutions/P/obj/project.assets.json", "{}");
        tree.Write("solutions/artifacts/x.txt", "x");
        tree.Write("solutions/P/TestResults/r.trx", "x");
        tree.Write("solutions/.vs/state", "x");

        Assert.Equal(["P/A.cs", SkeletonGenerator.SourcesManifest], SkeletonGenerator.Generate(tree.Root).Select(f => f.RelativePath));
    }

    [Fact]
    public void Second_write_changes_nothing()
    {
        tree.Write("solutions/P/A.cs", Marked);
        SkeletonGenerator.Write(tree.Root);

        Assert.Equal(new WriteSummary(2, 0, 0), SkeletonGenerator.Write(tree.Root));
    }

    [Fact]
    public void Check_detects_a_change_inside_a_region_and_passes_after_regeneration()
    {
        var withStub = Lines(
            "// BEGIN TODO(1.1): Compute.",
            "return 41 + 1;",
            "// STUB",
            "// return 0;",
            "// END TODO(1.1)");
        tree.Write("solutions/P/A.cs", withStub);
        tree.Write("solutions/P/Plain.cs", "class Plain { }\n");
        SkeletonGenerator.Write(tree.Root);
        Assert.Empty(SkeletonGenerator.Check(tree.Root));

        tree.Write("solutions/P/A.cs", withStub.Replace("// return 0;", "// return -1;", StringComparison.Ordinal));
        var differences = SkeletonGenerator.Check(tree.Root);
        var difference = differences.Single(d => d.Kind == DifferenceKind.Differs);
        Assert.Equal(new SkeletonDifference("P/A.cs", DifferenceKind.Differs), difference);
        Assert.Equal(
            "skeletons/P/A.cs: differs from what solutions/ generates: run `dotnet run --project grader/PaxosLabs.Grader -- skeletons`",
            difference.ToString());
        Assert.Contains(new SkeletonDifference("P/A.cs", DifferenceKind.SourceChanged), differences);

        SkeletonGenerator.Write(tree.Root);
        Assert.Empty(SkeletonGenerator.Check(tree.Root));
    }

    [Fact]
    public void Changing_only_solution_code_inside_a_region_fails_the_check_naming_the_solution_file()
    {
        tree.Write("solutions/P/A.cs", Marked);
        SkeletonGenerator.Write(tree.Root);
        var stubs = tree.Read("skeletons/P/A.cs");

        tree.Write("solutions/P/A.cs", Marked.Replace("return 41 + 1;", "return 42;", StringComparison.Ordinal));

        var difference = Assert.Single(SkeletonGenerator.Check(tree.Root));
        Assert.Equal(new SkeletonDifference("P/A.cs", DifferenceKind.SourceChanged), difference);
        Assert.StartsWith("solutions/P/A.cs: changed since skeletons/ was generated", difference.ToString(), StringComparison.Ordinal);

        SkeletonGenerator.Write(tree.Root);
        Assert.Empty(SkeletonGenerator.Check(tree.Root));
        Assert.Equal(stubs, tree.Read("skeletons/P/A.cs"));
    }

    [Fact]
    public void Check_reports_differing_missing_and_extra_files_without_writing()
    {
        tree.Write("solutions/P/A.cs", Marked);
        tree.Write("solutions/P/B.cs", "class B { }\n");
        tree.Write("skeletons/P/A.cs", Marked); // the solution itself: a leak
        tree.Write("skeletons/P/Extra.cs", "class Extra { }\n");

        var differences = SkeletonGenerator.Check(tree.Root);

        Assert.Equal(
            [
                new SkeletonDifference("P/A.cs", DifferenceKind.Differs),
                new SkeletonDifference("P/B.cs", DifferenceKind.Missing),
                new SkeletonDifference("P/Extra.cs", DifferenceKind.Extra),
                new SkeletonDifference(SkeletonGenerator.SourcesManifest, DifferenceKind.Missing),
            ],
            differences);
        Assert.Equal(Marked, tree.Read("skeletons/P/A.cs"));
        Assert.False(tree.Exists("skeletons/P/B.cs"));
    }

    [Fact]
    public void Editable_files_are_those_with_task_markers_sorted_ordinally()
    {
        tree.Write("solutions/b/Z.cs", Marked);
        tree.Write("solutions/B/Y.cs", "int a = 1; // STUB TODO(1.2): int a = 0;\n");
        tree.Write("solutions/a/x.proto", "// BEGIN TODO(1.3): Add.\n// END TODO(1.3)\n");
        tree.Write("solutions/a/Instructor.cs", "// BEGIN INSTRUCTOR\nclass Hidden { }\n// END INSTRUCTOR\n");
        tree.Write("solutions/a/Plain.cs", "class Plain { }\n");

        Assert.Equal(["B/Y.cs", "a/x.proto", "b/Z.cs"], SkeletonGenerator.EditableFiles(tree.Root));
    }

    [Fact]
    public void Tasks_are_sorted_by_task_id_numerically()
    {
        tree.Write("solutions/A.cs", Lines(
            "// BEGIN TODO(1.10): Tenth.",
            "// END TODO(1.10)",
            "int a = 1; // STUB TODO(2.1): int a = 0;",
            "// BEGIN TODO(1.2): Second.",
            "// END TODO(1.2)"));
        tree.Write("solutions/B.cs", "// BEGIN TODO(1.2): Second, part two.\n// END TODO(1.2)\n");

        Assert.Equal(
            [
                "1.2 solutions/A.cs:4: Second.",
                "1.2 solutions/B.cs:1: Second, part two.",
                "1.10 solutions/A.cs:1: Tenth.",
                "2.1 solutions/A.cs:3: int a = 0;",
            ],
            SkeletonGenerator.Tasks(tree.Root).Select(t => t.ToString()));
    }

    [Fact]
    public void Marker_errors_of_all_files_are_reported_together_and_nothing_is_written()
    {
        tree.Write("solutions/A.cs", "// STUB\n");
        tree.Write("solutions/P/B.cs", "x\n// BEGIN TODO(1.1): a\n");

        var failure = Assert.Throws<MarkerErrorsException>(() => SkeletonGenerator.Write(tree.Root));

        Assert.Equal(["solutions/A.cs:1", "solutions/P/B.cs:2"], failure.Errors.Select(e => $"{e.Path}:{e.Line}"));
        Assert.False(Directory.Exists(tree.Skeletons));
    }
}
