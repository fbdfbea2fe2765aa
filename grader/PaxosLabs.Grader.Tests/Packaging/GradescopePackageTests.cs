using System.IO.Compression;
using System.Runtime.Versioning;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Packaging;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Tests.Packaging;

public sealed class GradescopePackageTests : IDisposable
{
    private static readonly GradescopeSettings Settings = new("after_due_date", 90, 45, SandboxMode.None);

    private readonly TestTree _kit = SmallKit.Create();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "gradescope-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _kit.Dispose();
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private string Zip => Path.Combine(_out, "autograder.zip");

    private static List<string> Entries(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return [.. archive.Entries.Select(e => e.FullName)];
    }

    private static string Text(string zip, string entry)
    {
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static int Mode(string zip, string entry)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.GetEntry(entry)!.ExternalAttributes >>> 16;
    }

    [Fact]
    public void The_zip_has_both_scripts_at_its_root_and_the_kit_sources_without_leftovers_under_kit()
    {
        _kit.Write(".git/HEAD", "ref: refs/heads/main\n");
        _kit.Write("vendor/lib/.git", "gitdir: elsewhere\n"); // a worktree's or submodule's .git is a file
        _kit.Write(".grade/alice/P/A.cs", "// an overlay left by --keep\n");
        _kit.Write("artifacts/solutions/bin/P.dll", "built");
        _kit.Write("solutions/P/bin/Debug/P.dll", "built");
        _kit.Write("solutions/P/obj/project.assets.json", "{}");
        _kit.Write("TestResults/run.trx", "<TestRun />");
        _kit.Write("grader/stage-1.trx", "<TestRun />");
        _kit.Write("BenchmarkDotNet.Artifacts/results.md", "# fast\n");
        _kit.Write("nuget.config", "<configuration />\n"); // the kit's package sources go along

        var summary = GradescopePackage.Write(_kit.Root, Zip, Settings, force: false);

        var entries = Entries(Zip);
        Assert.Equal([GradescopePackage.SetupFile, GradescopePackage.RunFile], entries.Take(2));
        var kit = entries.Skip(2).ToList();
        Assert.All(kit, e => Assert.StartsWith("kit/", e, StringComparison.Ordinal));
        Assert.Equal(summary.KitFiles, kit.Count);
        Assert.Contains("kit/solutions/P/A.cs", kit);
        Assert.Contains("kit/skeletons/P/A.cs", kit);
        Assert.Contains("kit/Directory.Build.props", kit);
        Assert.Contains("kit/global.json", kit);
        Assert.Contains("kit/nuget.config", kit);
        Assert.Contains("kit/grader/PaxosLabs.HiddenTests/Hidden.cs", kit);
        string[] leftovers = ["/.git", "/.grade/", "/bin/", "/obj/", "/artifacts/", "/TestResults/", ".trx", "BenchmarkDotNet"];
        Assert.All(kit, e => Assert.DoesNotContain(leftovers, l => ("/" + e).Contains(l, StringComparison.Ordinal)));
        Assert.Equal(
            KitFiles.List(_kit.Root).Count(p => !p.StartsWith(".git/", StringComparison.Ordinal) && !p.StartsWith(".grade/", StringComparison.Ordinal)
                && p != "vendor/lib/.git" && !p.EndsWith(".trx", StringComparison.Ordinal) && !p.StartsWith("BenchmarkDotNet", StringComparison.Ordinal)),
            kit.Count);
        Assert.Equal(SmallKit.Solution, Text(Zip, "kit/solutions/P/A.cs"));
        Assert.Equal(2, summary.Stages);
    }

    [Fact]
    [SupportedOSPlatform("linux")] // Gradescope's images are Linux; file modes are Unix's
    public void The_scripts_are_executable_lf_only_and_kit_files_keep_their_mode()
    {
        _kit.Write(".ci/run", "#!/usr/bin/env bash\necho ci\n");
        File.SetUnixFileMode(Path.Combine(_kit.Root, ".ci/run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        GradescopePackage.Write(_kit.Root, Zip, Settings, force: false);

        Assert.Equal(0x81ED, Mode(Zip, "setup.sh")); // a regular file, rwxr-xr-x
        Assert.Equal(0x81ED, Mode(Zip, "run_autograder"));
        Assert.Equal(0x81C0, Mode(Zip, "kit/.ci/run")); // rwx------ as it was
        Assert.Equal(0x8000 | (int)File.GetUnixFileMode(Path.Combine(_kit.Root, "solutions/P/A.cs")), Mode(Zip, "kit/solutions/P/A.cs"));
        Assert.DoesNotContain('\r', Text(Zip, "setup.sh"));
        Assert.DoesNotContain('\r', Text(Zip, "run_autograder"));
        Assert.StartsWith("#!/usr/bin/env bash\n", Text(Zip, "run_autograder"), StringComparison.Ordinal);

        // What Gradescope gets when it unpacks the zip.
        var unpacked = Path.Combine(_out, "source");
        ZipFile.ExtractToDirectory(Zip, unpacked);
        Assert.True(File.GetUnixFileMode(Path.Combine(unpacked, "run_autograder")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(GradescopeScripts.RunAutograder(Settings), File.ReadAllText(Path.Combine(unpacked, "run_autograder")));
        Assert.Equal(GradescopeScripts.Setup(), File.ReadAllText(Path.Combine(unpacked, "setup.sh")));
    }

    [Fact]
    public void An_existing_zip_is_overwritten_only_when_forced()
    {
        GradescopePackage.Write(_kit.Root, Zip, Settings, force: false);

        var error = Assert.Throws<GraderException>(() => GradescopePackage.Write(_kit.Root, Zip, Settings with { Visibility = "visible" }, force: false));
        Assert.Contains("exists; pass --force", error.Message, StringComparison.Ordinal);
        Assert.Contains("--visibility after_due_date", Text(Zip, "run_autograder"), StringComparison.Ordinal);

        GradescopePackage.Write(_kit.Root, Zip, Settings with { Visibility = "visible" }, force: true);
        Assert.Contains("--visibility visible", Text(Zip, "run_autograder"), StringComparison.Ordinal);
        Assert.Equal([Path.GetFileName(Zip)], Directory.EnumerateFiles(_out).Select(Path.GetFileName)); // no partial file left
    }

    [Fact]
    public void A_zip_written_inside_the_kit_is_not_packed_into_the_next_one()
    {
        var inside = Path.Combine(_kit.Root, "autograder.zip");

        GradescopePackage.Write(_kit.Root, inside, Settings, force: false);
        GradescopePackage.Write(_kit.Root, inside, Settings, force: true);

        Assert.DoesNotContain(Entries(inside), e => e.EndsWith(".zip", StringComparison.Ordinal) || e.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void Stale_skeletons_or_a_folder_in_the_way_are_refused_and_write_nothing()
    {
        _kit.Write("skeletons/P/A.cs", "// edited by hand\n");

        var stale = Assert.Throws<GraderException>(() => GradescopePackage.Write(_kit.Root, Zip, Settings, force: false));
        Assert.Contains("skeletons/ is not what solutions/ generates", stale.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Zip));

        Directory.CreateDirectory(Path.Combine(_out, "folder.zip"));
        var folder = Assert.Throws<GraderException>(() => GradescopePackage.Write(_kit.Root, Path.Combine(_out, "folder.zip"), Settings, force: true));
        Assert.Contains("is a folder", folder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worst_case_is_the_build_bound_every_stage_bound_and_a_minute() =>
        Assert.Equal(TimeSpan.FromMinutes(15 + 4 * 1.5 + 1), Settings.WorstCase(4));
}
