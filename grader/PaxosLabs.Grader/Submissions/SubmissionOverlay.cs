using System.Text.RegularExpressions;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Submissions;

/// <summary>A submission laid over the skeletons, ready to build.</summary>
/// <param name="Name">The name used for its folders and reports.</param>
/// <param name="Layout">How it was laid out.</param>
/// <param name="OverlayDirectory">The pristine skeletons with the student's editable files: the <c>Impl</c> to build.</param>
/// <param name="Taken">The editable files taken from it (paths as in the submission).</param>
/// <param name="Missing">Editable files it does not have; the skeleton's stubs stand in for them.</param>
/// <param name="Ignored">Every other file that differs from the handout (or skeleton tree), or is not in it.</param>
public sealed record PreparedSubmission(
    string Name,
    SubmissionLayout Layout,
    string OverlayDirectory,
    IReadOnlyList<string> Taken,
    IReadOnlyList<string> Missing,
    IReadOnlyList<IgnoredFile> Ignored)
{
    /// <summary>How the submission names the folder that holds the projects (<c>src/</c>, or nothing for a tree).</summary>
    public string SourcePrefix => Layout == SubmissionLayout.Handout ? HandoutGenerator.SourceFolder + "/" : "";
}

/// <summary>
/// The one rule of the kit: from a submission only the student-editable files (those with task
/// markers) are taken, and laid over a pristine copy of skeletons/ in <c>&lt;kit&gt;/.grade/&lt;name&gt;/</c>
/// (inside the kit, so its Directory.Build.props applies and builds it as a submission).
/// Everything else comes from the kit; files that differ from what the kit handed out are listed as ignored.
/// </summary>
public static partial class SubmissionOverlay
{
    public const string GradeFolder = ".grade";

    /// <summary>Editable files larger than this are not taken (the skeleton's file stands in).</summary>
    public const long MaxEditableBytes = 1024 * 1024;

    /// <summary>Folders of a submission that are never compared (version control and build output).</summary>
    private static readonly HashSet<string> Unseen = new(StringComparer.OrdinalIgnoreCase) { ".git", ".grade", ".vs", ".idea" };

    /// <summary>A name made safe for a folder: letters, digits, '.', '-' and '_'.</summary>
    public static string SafeName(string name)
    {
        var safe = Unsafe().Replace(name, "_").Trim('.');
        return safe.Length == 0 ? "submission" : safe;
    }

    public static string OverlayDirectory(string root, string name) => Path.Combine(root, GradeFolder, SafeName(name));

    /// <summary>Finds the layout, builds the overlay and lists what was taken and ignored.</summary>
    /// <exception cref="GraderException">The folder does not exist or has no editable file at all.</exception>
    public static PreparedSubmission Prepare(string root, string submission, string name)
    {
        var directory = Path.GetFullPath(submission);
        if (!Directory.Exists(directory))
        {
            throw new GraderException($"{submission}: no such folder");
        }

        var editable = SkeletonGenerator.EditableFiles(root);
        var layout = DetectLayout(directory, editable)
            ?? throw new GraderException($"{directory} has none of the student-editable files, neither under src/ (a student repository) nor at its top (a tree like skeletons/); for example {HandoutGenerator.SourceFolder}/{editable.FirstOrDefault()}");
        var prefix = layout == SubmissionLayout.Handout ? HandoutGenerator.SourceFolder + "/" : "";

        var overlay = OverlayDirectory(root, name);
        CopyPristineSkeletons(root, overlay);
        var now = DateTime.UtcNow;

        var taken = new List<string>();
        var missing = new List<string>();
        var ignored = new List<IgnoredFile>();
        foreach (var relative in editable)
        {
            var source = new FileInfo(Path.Combine(directory, prefix + relative));
            if (!source.Exists)
            {
                missing.Add(prefix + relative);
            }
            else if (source.LinkTarget is not null)
            {
                ignored.Add(new IgnoredFile(prefix + relative, "a link, not a file: the skeleton's file is used"));
            }
            else if (source.Length > MaxEditableBytes)
            {
                ignored.Add(new IgnoredFile(prefix + relative, "larger than 1 MiB: the skeleton's file is used"));
            }
            else
            {
                File.Copy(source.FullName, Path.Combine(overlay, relative), overwrite: true);
                taken.Add(prefix + relative);
            }

            // Copies keep their times, and a build of the same overlay path may already exist (an
            // autograder image prebuilds it; --keep leaves one): an editable file older than that
            // output, the student's or the stub put back in its place, would not be compiled again.
            File.SetLastWriteTimeUtc(Path.Combine(overlay, relative), now);
        }

        var reference = Reference(root, layout);
        var editableInSubmission = editable.Select(e => prefix + e).ToHashSet(StringComparer.Ordinal);
        foreach (var relative in ListSubmission(directory).Where(p => !editableInSubmission.Contains(p)))
        {
            var file = new FileInfo(Path.Combine(directory, relative));
            if (!reference.TryGetValue(relative, out var expected))
            {
                ignored.Add(new IgnoredFile(relative, "not in the handout"));
            }
            else if (file.LinkTarget is not null)
            {
                ignored.Add(new IgnoredFile(relative, "a link, not a file"));
            }
            else if (file.Length > 2 * expected.Length + 1024 || !SameText(File.ReadAllBytes(file.FullName), expected))
            {
                ignored.Add(new IgnoredFile(relative, "changed"));
            }
        }

        return new PreparedSubmission(name, layout, overlay, taken, missing, [.. ignored.OrderBy(i => i.Path, StringComparer.Ordinal)]);
    }

    /// <summary>Deletes an overlay folder (after grading).</summary>
    public static void Remove(string overlayDirectory)
    {
        if (Directory.Exists(overlayDirectory))
        {
            Directory.Delete(overlayDirectory, recursive: true);
        }
    }

    private static SubmissionLayout? DetectLayout(string directory, IReadOnlyList<string> editable)
    {
        bool Has(string prefix) => editable.Any(e => File.Exists(Path.Combine(directory, prefix + e)));
        return Has(HandoutGenerator.SourceFolder + "/") ? SubmissionLayout.Handout
            : Has("") ? SubmissionLayout.Tree
            : null;
    }

    private static void CopyPristineSkeletons(string root, string overlay)
    {
        Remove(overlay);
        var skeletons = Path.Combine(root, SkeletonGenerator.SkeletonsFolder);
        foreach (var relative in KitFiles.List(skeletons))
        {
            var target = Path.Combine(overlay, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(skeletons, relative), target);
        }
    }

    /// <summary>What the kit handed out, by path as the submission has it.</summary>
    private static Dictionary<string, byte[]> Reference(string root, SubmissionLayout layout)
    {
        if (layout == SubmissionLayout.Handout)
        {
            return HandoutGenerator.Generate(root).ToDictionary(f => f.RelativePath, f => f.Content, StringComparer.Ordinal);
        }

        var skeletons = Path.Combine(root, SkeletonGenerator.SkeletonsFolder);
        return KitFiles.List(skeletons).ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(skeletons, p)), StringComparer.Ordinal);
    }

    /// <summary>The submission's files, without version control, IDE and build output folders.</summary>
    private static IEnumerable<string> ListSubmission(string directory) =>
        KitFiles.List(directory).Where(p => !p.Split('/').Any(Unseen.Contains));

    /// <summary>Equal bytes, or equal text but for line endings (a checkout on Windows).</summary>
    private static bool SameText(byte[] actual, byte[] expected)
    {
        if (actual.AsSpan().SequenceEqual(expected))
        {
            return true;
        }

        return KitFiles.TryDecode(actual, out var a, out _) && KitFiles.TryDecode(expected, out var b, out _)
            && string.Equals(a.ReplaceLineEndings("\n"), b.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
