using PaxosLabs.Grader.Mutants;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Attacks;

/// <summary>
/// One way a hostile submission tries to get points it did not earn: code a student adds to an
/// editable file, outside the task regions, so it fits a skeleton as well as a solution. Stored in
/// the attack format (<see cref="AttackFile"/>) in <c>grader/attacks/</c>.
/// </summary>
/// <param name="Id">The attack file's name without <c>.attack</c>.</param>
/// <param name="File">The editable file it changes, relative to the student tree (as inside solutions/ or skeletons/), with '/'.</param>
/// <param name="Description">What the code does, in one line.</param>
/// <param name="Defence">What the grader does against it, in one line.</param>
/// <param name="Find">Text the file has exactly once in both the skeleton and the solution.</param>
/// <param name="Replace">The text with the attack's code.</param>
public sealed record Attack(string Id, string File, string Description, string Defence, string Find, string Replace)
{
    /// <summary>The file's text with the attack's code; the file's own line endings are kept.</summary>
    /// <exception cref="MutantException">The text to find is not in the file exactly once.</exception>
    public string Apply(string text)
    {
        var crlf = text.Contains("\r\n", StringComparison.Ordinal);
        var plain = text.ReplaceLineEndings("\n");
        var at = plain.IndexOf(Find, StringComparison.Ordinal);
        if (at < 0 || plain.IndexOf(Find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new MutantException($"{AttackBank.Folder}/{Id}{AttackFile.Extension}", $"the text after '--- find' must occur exactly once in {File}, in the skeleton and in the solution");
        }

        var attacked = string.Concat(plain.AsSpan(0, at), Replace, plain.AsSpan(at + Find.Length));
        return crlf ? attacked.Replace("\n", "\r\n", StringComparison.Ordinal) : attacked;
    }
}

/// <summary>
/// The attack format: the mutant format (<see cref="MutantFile.Read"/>) with the header lines
/// <c>file</c>, <c>description</c> and <c>defence</c>.
/// </summary>
public static class AttackFile
{
    public const string Extension = ".attack";

    private static readonly string[] Keys = ["file", "description", "defence"];

    /// <exception cref="MutantException">A field is missing, repeated or unknown, or a block is malformed.</exception>
    public static Attack Parse(string path, string text)
    {
        var (fields, find, replace) = MutantFile.Read(path, text, Keys);
        var file = fields["file"].Replace('\\', '/');
        if (Path.IsPathRooted(file) || file.Split('/').Contains(".."))
        {
            throw new MutantException(path, $"'file: {file}' must be a path inside the student tree, such as PaxosLabs.Storage/StorageQSpec.cs");
        }

        return new Attack(Path.GetFileNameWithoutExtension(path), file, fields["description"], fields["defence"], find, replace);
    }
}

/// <summary>
/// The attack bank, and submissions made from it: a kit tree's editable files with attacks applied,
/// in a folder shaped like skeletons/ (which <c>grade</c> takes as a submission).
/// </summary>
public static class AttackBank
{
    public const string Folder = "grader/attacks";

    /// <summary>Every attack of the bank, by id, each checked to apply to its file in both kit trees.</summary>
    /// <exception cref="MutantException">An attack file is malformed, names a file that is not editable, or does not apply.</exception>
    public static IReadOnlyList<Attack> Load(string root)
    {
        var folder = Path.Combine(root, Folder);
        var paths = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*" + AttackFile.Extension).Order(StringComparer.Ordinal).ToList() : [];
        if (paths.Count == 0)
        {
            throw new GraderException($"{Folder} has no {AttackFile.Extension} files");
        }

        var editable = SkeletonGenerator.EditableFiles(root).ToHashSet(StringComparer.Ordinal);
        var attacks = new List<Attack>();
        foreach (var path in paths)
        {
            var shown = Path.GetRelativePath(root, path).Replace('\\', '/');
            var attack = AttackFile.Parse(shown, File.ReadAllText(path));
            if (!editable.Contains(attack.File))
            {
                throw new MutantException(shown, $"'file: {attack.File}' is not an editable file (a submission's other files are never graded)");
            }

            foreach (var tree in new[] { SkeletonGenerator.SolutionsFolder, "skeletons" })
            {
                attack.Apply(File.ReadAllText(Path.Combine(root, tree, attack.File)));
            }

            attacks.Add(attack);
        }

        return attacks;
    }

    /// <summary>
    /// Writes every editable file of the kit tree <paramref name="tree"/> (<c>solutions</c> or
    /// <c>skeletons</c>) to <paramref name="folder"/>, with <paramref name="attacks"/> applied, in order.
    /// </summary>
    public static string WriteSubmission(string root, string tree, IEnumerable<Attack> attacks, string folder)
    {
        var byFile = attacks.ToLookup(a => a.File, StringComparer.Ordinal);
        foreach (var file in SkeletonGenerator.EditableFiles(root))
        {
            var text = byFile[file].Aggregate(File.ReadAllText(Path.Combine(root, tree, file)), (current, attack) => attack.Apply(current));
            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text);
        }

        return folder;
    }
}
