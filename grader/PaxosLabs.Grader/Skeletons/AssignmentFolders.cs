namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// The folders under <c>assignments/</c> (such as <c>01-quorum-calls</c>), which the default stub
/// names so a student knows where the task is described.
/// </summary>
public sealed class AssignmentFolders
{
    private readonly List<string> names;

    public AssignmentFolders(IEnumerable<string> folderNames)
    {
        names = folderNames.Order(StringComparer.Ordinal).ToList();
    }

    public static AssignmentFolders None { get; } = new([]);

    /// <summary>The folders of <c>&lt;root&gt;/assignments</c>; none if that folder does not exist.</summary>
    public static AssignmentFolders FromRoot(string root)
    {
        var directory = Path.Combine(root, "assignments");
        return Directory.Exists(directory)
            ? new AssignmentFolders(Directory.EnumerateDirectories(directory).Select(d => Path.GetFileName(d)))
            : None;
    }

    /// <summary>
    /// <c>assignments/NN-name/README.md</c> for the first folder (in ordinal order) whose name starts
    /// with the stage padded to two digits and a dash, or null when there is none.
    /// </summary>
    public string? ReadmeFor(int stage)
    {
        var prefix = $"{stage:D2}-";
        var folder = names.FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal));
        return folder is null ? null : $"assignments/{folder}/README.md";
    }
}
