using System.IO.Compression;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Packaging;

/// <summary>What <see cref="GradescopePackage.Write"/> wrote.</summary>
/// <param name="KitFiles">The kit's files under <c>kit/</c>.</param>
/// <param name="Bytes">The size of the zip.</param>
/// <param name="Stages">The stages that have tasks (for the worst-case time).</param>
public sealed record PackageSummary(int KitFiles, long Bytes, int Stages);

/// <summary>
/// The autograder zip Gradescope builds its image from: <c>setup.sh</c> and <c>run_autograder</c>
/// at the root (as the spec requires) and the kit's sources under <c>kit/</c>, without version
/// control, build output, grading leftovers and test results. The zip holds the solutions and the
/// hidden tests: it is for the course staff only.
/// </summary>
public static class GradescopePackage
{
    public const string KitFolder = "kit";
    public const string SetupFile = "setup.sh";
    public const string RunFile = "run_autograder";

    /// <summary>
    /// Folders left out at any depth, besides those <see cref="Skeletons.KitFiles"/> never enters
    /// (bin, obj, artifacts, TestResults, .vs): version control (a worktree's <c>.git</c> is a file),
    /// the overlays of earlier grades, IDE and benchmark output.
    /// </summary>
    public static readonly IReadOnlySet<string> LeftOut =
        new HashSet<string>([".git", ".grade", ".idea", "BenchmarkDotNet.Artifacts"], StringComparer.OrdinalIgnoreCase);

    /// <summary>rwxr-xr-x: Gradescope runs run_autograder directly.</summary>
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The kit's files that go under <c>kit/</c>, relative to the root with <c>/</c>, sorted ordinally.</summary>
    /// <param name="root">The kit root.</param>
    /// <param name="except">A file never to take (the zip being written, when it lies inside the kit).</param>
    public static IReadOnlyList<string> KitSources(string root, string? except = null)
    {
        var skip = except is null ? null : Path.GetRelativePath(root, Path.GetFullPath(except)).Replace('\\', '/');
        return
        [
            .. KitFiles.List(root)
                .Where(p => !p.Split('/').Any(LeftOut.Contains))
                .Where(p => !p.EndsWith(".trx", StringComparison.OrdinalIgnoreCase))
                .Where(p => !string.Equals(p, skip, StringComparison.Ordinal)),
        ];
    }

    /// <summary>Writes the zip to <paramref name="zipPath"/> (through a temporary file beside it, so a failed run leaves no half zip).</summary>
    /// <exception cref="GraderException">The file exists (without <paramref name="force"/>), is a folder, or the skeletons are out of date.</exception>
    public static PackageSummary Write(string root, string zipPath, GradescopeSettings settings, bool force)
    {
        var target = Path.GetFullPath(zipPath);
        if (Directory.Exists(target))
        {
            throw new GraderException($"{zipPath} is a folder; --out names the zip file to write");
        }

        if (File.Exists(target) && !force)
        {
            throw new GraderException($"{zipPath} exists; pass --force to overwrite it");
        }

        // An autograder built from stale skeletons would grade students against the wrong stubs.
        var stale = SkeletonGenerator.Check(root);
        if (stale.Count > 0)
        {
            throw new GraderException($"skeletons/ is not what solutions/ generates ({stale.Count} file(s), e.g. {stale[0].RelativePath}); run `skeletons` first");
        }

        var stages = SkeletonGenerator.Tasks(root).Select(t => t.Id.Stage).Distinct().Count();
        var files = KitSources(root, target);
        var runScript = GradescopeScripts.RunAutograder(settings);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        try
        {
            using (var zip = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                AddText(zip, SetupFile, GradescopeScripts.Setup(), Executable);
                AddText(zip, RunFile, runScript, Executable);
                foreach (var file in files)
                {
                    var source = Path.Combine(root, file);
                    var entry = zip.CreateEntryFromFile(source, $"{KitFolder}/{file}", CompressionLevel.Optimal);
                    SetMode(entry, OperatingSystem.IsWindows() ? Readable : File.GetUnixFileMode(source));
                }
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return new PackageSummary(files.Count, new FileInfo(target).Length, stages);
    }

    private static void AddText(ZipArchive zip, string name, string text, UnixFileMode mode)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using (var stream = entry.Open())
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.Write(text);
        }

        SetMode(entry, mode);
    }

    /// <summary>The Unix mode of a regular file, where unzip (and .NET's extraction) look for it.</summary>
    private static void SetMode(ZipArchiveEntry entry, UnixFileMode mode) =>
        entry.ExternalAttributes = unchecked((int)((0x8000u | (uint)mode) << 16));
}
