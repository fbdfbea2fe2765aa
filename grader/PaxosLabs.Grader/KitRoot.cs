namespace PaxosLabs.Grader;

/// <summary>Locates the kit's repository root: the directory with <c>Directory.Build.props</c> and <c>solutions/</c>.</summary>
public static class KitRoot
{
    public static bool IsRoot(string directory) =>
        File.Exists(Path.Combine(directory, "Directory.Build.props"))
        && Directory.Exists(Path.Combine(directory, "solutions"));

    /// <summary>The first kit root at or above <paramref name="start"/>, or null.</summary>
    public static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (IsRoot(directory.FullName))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// The root named by <c>--root</c> (which must be a kit root), or else the one found above the
    /// current directory.
    /// </summary>
    public static string Resolve(string? explicitRoot)
    {
        if (explicitRoot is not null)
        {
            var full = Path.GetFullPath(explicitRoot);
            return IsRoot(full)
                ? full
                : throw new GraderException($"--root {explicitRoot}: not a kit root (expected Directory.Build.props and a solutions/ folder in {full})");
        }

        var cwd = Directory.GetCurrentDirectory();
        return Find(cwd)
            ?? throw new GraderException($"no kit root (a directory with Directory.Build.props and solutions/) at or above {cwd}; pass --root <dir>");
    }
}
