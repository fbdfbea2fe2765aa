using System.Security.Cryptography;
using System.Text;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// A file of skeletons/: its path relative to skeletons/ (and solutions/), its bytes, and the
/// parsed solution file it came from (null for files the generator never looks into).
/// </summary>
public sealed record GeneratedFile(string RelativePath, byte[] Content, ParsedFile? Source)
{
    /// <summary>Whether markers changed the file (otherwise it is a byte-for-byte copy).</summary>
    public bool IsTransformed => Source?.HasMarkers == true;
}

/// <summary>A student-editable solution file: its path relative to solutions/, its markers, and whether it starts with a byte-order mark.</summary>
public sealed record EditableSource(string RelativePath, ParsedFile Parsed, bool HasBom);

/// <summary>What <see cref="SkeletonGenerator.Write"/> did.</summary>
public sealed record WriteSummary(int Files, int Written, int Deleted);

/// <summary>
/// Generates skeletons/ from solutions/: marked files are transformed, instructor-only files are
/// left out, everything else is copied byte for byte.
/// </summary>
public static class SkeletonGenerator
{
    public const string SolutionsFolder = "solutions";
    public const string SkeletonsFolder = "skeletons";

    /// <summary>
    /// A generated file of skeletons/ listing the SHA-256 of every marked solution file, so that
    /// a change inside a solution region (which leaves the stubs as they were) still makes the
    /// drift check fail until skeletons/ is regenerated. The handout leaves it out.
    /// </summary>
    public const string SourcesManifest = "SOURCES.sha256";

    /// <summary>The complete contents of skeletons/, in ordinal path order. Throws <see cref="MarkerErrorsException"/> with every marker error.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(string root)
    {
        var assignments = AssignmentFolders.FromRoot(root);
        var sources = Load(root);
        var files = sources
            .Where(f => f.Parsed is not { IsInstructorOnly: true })
            .Select(f => f.Parsed is { HasMarkers: true } parsed
                ? new GeneratedFile(f.RelativePath, KitFiles.Encode(SkeletonRenderer.Render(parsed, assignments), f.HasBom), parsed)
                : new GeneratedFile(f.RelativePath, f.Bytes, f.Parsed))
            .ToList();
        var manifest = sources
            .Where(f => f.Parsed is { HasMarkers: true })
            .Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(f.Bytes))}  {f.RelativePath}\n");
        files.Add(new GeneratedFile(SourcesManifest, KitFiles.Encode(string.Concat(manifest), withBom: false), null));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Makes skeletons/ mirror solutions/. Only files whose content changes are written (so builds
    /// stay incremental); files without a counterpart and the directories they leave empty are deleted.
    /// </summary>
    public static WriteSummary Write(string root)
    {
        var generated = Generate(root);
        var skeletons = Path.Combine(root, SkeletonsFolder);
        var written = 0;
        foreach (var file in generated)
        {
            var target = Path.Combine(skeletons, file.RelativePath);
            if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(file.Content))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content);
            written++;
        }

        var wanted = generated.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var extras = KitFiles.List(skeletons).Where(p => !wanted.Contains(p)).ToList();
        foreach (var extra in extras)
        {
            File.Delete(Path.Combine(skeletons, extra));
        }

        if (Directory.Exists(skeletons))
        {
            RemoveEmptyDirectories(skeletons);
        }

        return new WriteSummary(generated.Count, written, extras.Count);
    }

    /// <summary>Every file of skeletons/ that differs from, is missing from, or is extra to what <see cref="Generate"/> produces; empty when up to date.</summary>
    public static IReadOnlyList<SkeletonDifference> Check(string root)
    {
        var skeletons = Path.Combine(root, SkeletonsFolder);
        var generated = Generate(root);
        var existing = KitFiles.List(skeletons).ToHashSet(StringComparer.Ordinal);
        var differences = new List<SkeletonDifference>();
        foreach (var file in generated)
        {
            if (!existing.Remove(file.RelativePath))
            {
                differences.Add(new SkeletonDifference(file.RelativePath, DifferenceKind.Missing));
            }
            else if (File.ReadAllBytes(Path.Combine(skeletons, file.RelativePath)) is var current && !current.AsSpan().SequenceEqual(file.Content))
            {
                differences.AddRange(file.RelativePath == SourcesManifest
                    ? ChangedSources(current, file.Content)
                    : [new SkeletonDifference(file.RelativePath, DifferenceKind.Differs)]);
            }
        }

        differences.AddRange(existing.Select(extra => new SkeletonDifference(extra, DifferenceKind.Extra)));
        return differences.OrderBy(d => d.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>The solution files whose recorded hash differs between two manifests.</summary>
    private static IEnumerable<SkeletonDifference> ChangedSources(byte[] recorded, byte[] now)
    {
        static HashSet<string> Lines(byte[] bytes) =>
            Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var before = Lines(recorded);
        return Lines(now).Except(before)
            .Concat(before.Except(Lines(now)))
            .Select(line => line[(line.IndexOf("  ", StringComparison.Ordinal) + 2)..])
            .Distinct(StringComparer.Ordinal)
            .Select(path => new SkeletonDifference(path, DifferenceKind.SourceChanged));
    }

    /// <summary>The files a student edits (those with a task marker), relative to solutions/, sorted ordinally.</summary>
    public static IReadOnlyList<string> EditableFiles(string root) =>
        Load(root).Where(f => f.Parsed is { IsEditable: true }).Select(f => f.RelativePath).ToList();

    /// <summary>The editable files with their parsed markers, relative to solutions/, sorted ordinally.</summary>
    public static IReadOnlyList<EditableSource> ParsedEditableFiles(string root) =>
        Load(root).Where(f => f.Parsed is { IsEditable: true }).Select(f => new EditableSource(f.RelativePath, f.Parsed!, f.HasBom)).ToList();

    /// <summary>Every task marker, sorted by task id numerically, then path and line. Paths are relative to the repository root.</summary>
    public static IReadOnlyList<TaskMarker> Tasks(string root) =>
        Load(root)
            .SelectMany(f => f.Parsed?.Tasks ?? [])
            .OrderBy(t => t.Id)
            .ThenBy(t => t.Path, StringComparer.Ordinal)
            .ThenBy(t => t.Line)
            .ToList();

    /// <summary>Reads and parses solutions/, throwing <see cref="MarkerErrorsException"/> with every marker error found.</summary>
    private static List<SolutionFile> Load(string root)
    {
        var solutions = Path.Combine(root, SolutionsFolder);
        if (!Directory.Exists(solutions))
        {
            throw new GraderException($"{solutions} does not exist");
        }

        var files = new List<SolutionFile>();
        foreach (var relative in KitFiles.List(solutions))
        {
            var bytes = File.ReadAllBytes(Path.Combine(solutions, relative));
            var parsed = default(ParsedFile);
            var hasBom = false;
            if (CommentStyle.ForPath(relative) is not null && KitFiles.TryDecode(bytes, out var text, out hasBom))
            {
                parsed = MarkerParser.Parse($"{SolutionsFolder}/{relative}", text);
            }

            files.Add(new SolutionFile(relative, bytes, parsed, hasBom));
        }

        var errors = files.SelectMany(f => f.Parsed?.Errors ?? []).ToList();
        return errors.Count > 0 ? throw new MarkerErrorsException(errors) : files;
    }

    /// <summary>Deletes empty directories below <paramref name="directory"/>; returns whether it is empty itself.</summary>
    private static bool RemoveEmptyDirectories(string directory)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0 };
        var empty = !Directory.EnumerateFiles(directory, "*", options).Any();
        foreach (var sub in Directory.EnumerateDirectories(directory, "*", options).ToList())
        {
            var name = Path.GetFileName(sub);
            if (!KitFiles.IgnoredDirectories.Contains(name) && new DirectoryInfo(sub).LinkTarget is null && RemoveEmptyDirectories(sub))
            {
                Directory.Delete(sub);
            }
            else
            {
                empty = false;
            }
        }

        return empty;
    }

    private sealed record SolutionFile(string RelativePath, byte[] Bytes, ParsedFile? Parsed, bool HasBom);
}
