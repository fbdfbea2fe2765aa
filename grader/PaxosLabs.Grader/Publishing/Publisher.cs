using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Publishing;

/// <summary>What publishing did to one file of the student repository (path relative to it).</summary>
public sealed record PublishedFile(string Path, string Action, IReadOnlyList<string> Conflicts);

/// <summary>
/// <c>publish --stage N</c>: writes the solution of every region of stage N into a student
/// repository made by <c>handout</c> (its code under <c>src/</c>), leaving every other region as it is.
/// </summary>
public static class Publisher
{
    public const string SourceFolder = "src";

    public static IReadOnlyList<PublishedFile> Publish(string root, int stage, string repository)
    {
        var source = Path.Combine(repository, SourceFolder);
        if (!Directory.Exists(source))
        {
            throw new GraderException($"{repository} is not a student repository made by `handout`: it has no {SourceFolder}/ folder");
        }

        var files = SkeletonGenerator.ParsedEditableFiles(root)
            .Where(f => f.Parsed.Tasks.Any(t => t.Id.Stage == stage))
            .ToList();
        if (files.Count == 0)
        {
            throw new GraderException($"stage {stage} has no tasks (see the `tasks` command)");
        }

        var assignments = AssignmentFolders.FromRoot(root);
        var report = new List<PublishedFile>();
        foreach (var (relative, parsed, hasBom) in files)
        {
            var shown = $"{SourceFolder}/{relative}";
            var target = Path.Combine(source, relative);
            var parts = SkeletonRenderer.Parts(parsed, assignments);
            if (!File.Exists(target))
            {
                var published = SkeletonRenderer.Join(parsed, parts.Select(p => p.Task?.Stage == stage ? p.Solution : p.Stub));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, KitFiles.Encode(published, hasBom));
                report.Add(new PublishedFile(shown, "created (it was missing)", []));
                continue;
            }

            var bytes = File.ReadAllBytes(target);
            if (!KitFiles.TryDecode(bytes, out var current, out var currentBom))
            {
                report.Add(new PublishedFile(shown, "skipped", ["not UTF-8 text, so it was left alone; copy the solution in by hand"]));
                continue;
            }

            var merge = StageMerge.Merge(parsed, parts, stage, current);
            if (merge.Text is not null)
            {
                File.WriteAllBytes(target, KitFiles.Encode(merge.Text, currentBom));
            }

            var action = merge.Action switch
            {
                MergeAction.Replaced => "published",
                MergeAction.Merged when merge.Text is null => "not changed",
                MergeAction.Merged => "published into the student's changes",
                _ => "already published",
            };
            report.Add(new PublishedFile(shown, action, merge.Conflicts));
        }

        return report;
    }
}
