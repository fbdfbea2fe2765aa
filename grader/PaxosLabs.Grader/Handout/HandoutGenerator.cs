using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Handout;

/// <summary>A file of the handout: its path relative to the student repository, and its bytes.</summary>
public sealed record HandoutFile(string RelativePath, byte[] Content);

/// <summary>What <see cref="HandoutGenerator.Write"/> did.</summary>
public sealed record HandoutSummary(int Files, int Projects);

/// <summary>
/// Builds the student repository from the kit: <c>src/</c> is skeletons/ (without its source
/// manifest), then protos/, assignments/, the student documents of docs/ (<see cref="Docs"/>), the
/// root build files (the props adapted for <c>src/</c>), a solution of the src/ projects, a README,
/// a .gitignore, and the GitHub Classroom workflow that gives each task its points when its visible
/// tests pass (<see cref="ClassroomWorkflow"/>), with its script. Nothing of grader/ or solutions/.
/// Text files lose their instructor regions. <see cref="Write"/> refuses a handout that cites what
/// it does not contain (<see cref="HandoutReferences"/>).
/// </summary>
public static class HandoutGenerator
{
    public const string SourceFolder = "src";
    public const string SolutionFile = "PaxosLabs.sln";

    /// <summary>
    /// Root build files of the kit copied into the handout (those that exist). Not the kit's tool
    /// manifest (.config/dotnet-tools.json): it pins staff tools (Stryker), which students do not run.
    /// </summary>
    public static readonly IReadOnlyList<string> RootFiles =
    [
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props",
        "BannedSymbols.SimulatedCode.txt", "global.json", ".editorconfig",
    ];

    /// <summary>Kit folders copied whole (instructor regions removed).</summary>
    public static readonly IReadOnlyList<string> Folders = ["assignments"];

    /// <summary>The folder of .proto files: only those the handout's projects use (directly or through imports) are copied.</summary>
    public const string ProtosFolder = "protos";

    /// <summary>
    /// The documents of docs/ that students get: the guide to the kit, and the protocol, whose
    /// sections the assignment texts and the code cite (<c>protocol §N.k</c>). The rest of docs/ is
    /// for the staff.
    /// </summary>
    public static readonly IReadOnlyList<string> Docs = ["docs/student-guide.md", HandoutReferences.Protocol];

    /// <summary>The handout's files, sorted by path. Reads skeletons/ as committed (<c>verify</c> checks that it is up to date).</summary>
    public static IReadOnlyList<HandoutFile> Generate(string root)
    {
        var skeletons = Path.Combine(root, SkeletonGenerator.SkeletonsFolder);
        if (!File.Exists(Path.Combine(skeletons, SkeletonGenerator.SourcesManifest)))
        {
            throw new GraderException($"{skeletons} has no {SkeletonGenerator.SourcesManifest}: generate it first with the `skeletons` command");
        }

        var files = new List<HandoutFile>();
        foreach (var relative in KitFiles.List(skeletons).Where(p => p != SkeletonGenerator.SourcesManifest))
        {
            files.Add(new HandoutFile($"{SourceFolder}/{relative}", File.ReadAllBytes(Path.Combine(skeletons, relative))));
        }

        foreach (var folder in Folders)
        {
            foreach (var relative in KitFiles.List(Path.Combine(root, folder)))
            {
                AddKitFile(root, $"{folder}/{relative}", files);
            }
        }

        foreach (var proto in UsedProtos(root, files))
        {
            AddKitFile(root, $"{ProtosFolder}/{proto}", files);
        }

        foreach (var doc in Docs)
        {
            if (!File.Exists(Path.Combine(root, doc)))
            {
                throw new GraderException($"the kit has no {doc}, which every handout includes");
            }

            AddKitFile(root, doc, files);
        }

        foreach (var relative in RootFiles.Where(f => File.Exists(Path.Combine(root, f))))
        {
            AddKitFile(root, relative, files);
        }

        AdaptProps(files);
        var projects = files.Select(f => f.RelativePath).Where(p => p.StartsWith(SourceFolder + "/", StringComparison.Ordinal) && p.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        files.Add(Text(SolutionFile, SolutionFileWriter.Write(projects), bom: true));
        files.Add(Text("README.md", HandoutTexts.Readme));
        files.Add(Text(".gitignore", HandoutTexts.GitIgnore));
        files.Add(Text(ClassroomWorkflow.ScriptPath, HandoutTexts.TaskTestsScript));
        files.Add(Text(ClassroomWorkflow.WorkflowPath, ClassroomWorkflow.Render(ClassroomWorkflow.Tasks(root, files))));
        return [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Writes the handout into <paramref name="outDirectory"/>, which must be empty or missing unless
    /// <paramref name="force"/> (then the handout's files are overwritten and other files are kept).
    /// Writes nothing when a file of the handout cites a file, heading or protocol section that the
    /// handout does not contain: students could not follow it.
    /// </summary>
    public static HandoutSummary Write(string root, string outDirectory, bool force)
    {
        var full = Path.GetFullPath(outDirectory);
        var kit = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (full == kit || full.StartsWith(kit + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new GraderException($"{full} is inside the kit; write the handout outside it (the kit's build rules would apply to it)");
        }

        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
        {
            throw new GraderException($"{full} is not empty; choose an empty folder, or pass --force to overwrite the handout's files in it");
        }

        var files = Generate(root);
        var dangling = HandoutReferences.Check(files);
        if (dangling.Count > 0)
        {
            throw new GraderException(
                $"the handout would have {dangling.Count} reference(s) to what it does not contain, so nothing was written; fix them in the kit"
                + $" ({SourceFolder}/ is {SkeletonGenerator.SkeletonsFolder}/, generated from {SkeletonGenerator.SolutionsFolder}/):"
                + Environment.NewLine + string.Join(Environment.NewLine, dangling.Select(d => "  " + d)));
        }

        foreach (var file in files)
        {
            var target = Path.Combine(full, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content);
        }

        return new HandoutSummary(files.Count, files.Count(f => f.RelativePath.EndsWith(".csproj", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The protos named in the handout's project files, and the protos they import, transitively
    /// (protos used only by the kit's own tests stay out).
    /// </summary>
    private static IEnumerable<string> UsedProtos(string root, List<HandoutFile> files)
    {
        var folder = Path.Combine(root, ProtosFolder);
        var all = KitFiles.List(folder).Where(p => p.EndsWith(".proto", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var projects = string.Concat(files.Where(f => f.RelativePath.EndsWith(".csproj", StringComparison.Ordinal)).Select(f => System.Text.Encoding.UTF8.GetString(f.Content)));
        var used = new SortedSet<string>(all.Where(p => Mentions(projects, p)), StringComparer.Ordinal);
        var pending = new Queue<string>(used);
        while (pending.TryDequeue(out var proto))
        {
            var text = File.ReadAllText(Path.Combine(folder, proto));
            foreach (var imported in all.Where(p => !used.Contains(p) && text.Contains($"import \"{p}\"", StringComparison.Ordinal)))
            {
                used.Add(imported);
                pending.Enqueue(imported);
            }
        }

        return used;
    }

    private static bool Mentions(string text, string protoName) =>
        text.Contains($"\"{protoName}\"", StringComparison.Ordinal) || text.Contains($"){protoName}\"", StringComparison.Ordinal);

    /// <summary>Adds a kit file: text files with markers lose their instructor regions; instructor-only files are left out.</summary>
    private static void AddKitFile(string root, string relative, List<HandoutFile> files)
    {
        var bytes = File.ReadAllBytes(Path.Combine(root, relative));
        if (CommentStyle.ForPath(relative) is null || !KitFiles.TryDecode(bytes, out var text, out var bom))
        {
            files.Add(new HandoutFile(relative, bytes));
            return;
        }

        var parsed = MarkerParser.Parse(relative, text);
        if (parsed.Errors.Count > 0)
        {
            throw new MarkerErrorsException(parsed.Errors);
        }

        if (parsed.IsInstructorOnly)
        {
            return;
        }

        files.Add(parsed.HasMarkers
            ? new HandoutFile(relative, KitFiles.Encode(SkeletonRenderer.Render(parsed, AssignmentFolders.None), bom))
            : new HandoutFile(relative, bytes));
    }

    /// <summary>Inserts <see cref="HandoutTexts.PropsOverride"/> after the opening tag of Directory.Build.props.</summary>
    private static void AdaptProps(List<HandoutFile> files)
    {
        var index = files.FindIndex(f => f.RelativePath == "Directory.Build.props");
        if (index < 0)
        {
            throw new GraderException("the kit has no Directory.Build.props");
        }

        KitFiles.TryDecode(files[index].Content, out var text, out var bom);
        const string open = "<Project>";
        var at = text.IndexOf(open, StringComparison.Ordinal);
        var lineEnd = at < 0 ? -1 : text.IndexOf('\n', at);
        if (lineEnd < 0)
        {
            throw new GraderException("Directory.Build.props does not start with a <Project> line; the handout cannot adapt it");
        }

        var adapted = text[..(lineEnd + 1)] + HandoutTexts.PropsOverride.ReplaceLineEndings("\n") + text[(lineEnd + 1)..];
        files[index] = new HandoutFile("Directory.Build.props", KitFiles.Encode(adapted, bom));
    }

    private static HandoutFile Text(string relative, string text, bool bom = false) =>
        new(relative, KitFiles.Encode(text.ReplaceLineEndings(relative.EndsWith(".sln", StringComparison.Ordinal) ? "\r\n" : "\n"), bom));
}
