using System.Security.Cryptography;
using System.Text;

namespace PaxosLabs.Grader.Mutants;

/// <summary>A mutant with its mutated solution file, checked and ready to lay over the work tree.</summary>
/// <param name="Mutant">The mutant.</param>
/// <param name="Original">The solution file's text.</param>
/// <param name="Mutated">The text with the mutant applied.</param>
public sealed record PreparedMutant(Mutant Mutant, string Original, string Mutated);

/// <summary>
/// The mutant bank: every <c>*.mutant</c> file of <c>grader/mutants/</c>, read and applied to its
/// solution file before anything is built, so a malformed bank fails at once and names the file.
/// </summary>
public static class MutantBank
{
    public const string Folder = "grader/mutants";

    /// <summary>Every mutant of the bank, ordered by file and id (so mutants of one project build one after the other).</summary>
    /// <exception cref="MutantException">A mutant file is malformed or does not apply; the message names it.</exception>
    public static IReadOnlyList<PreparedMutant> Load(string root)
    {
        var folder = Path.Combine(root, Folder);
        if (!Directory.Exists(folder))
        {
            throw new GraderException($"{Folder}: no such folder");
        }

        var mutants = new List<PreparedMutant>();
        foreach (var path in Directory.EnumerateFiles(folder, "*" + MutantFile.Extension).Order(StringComparer.Ordinal))
        {
            var shown = Path.GetRelativePath(root, path).Replace('\\', '/');
            var mutant = MutantFile.Parse(shown, File.ReadAllText(path));
            var solution = Path.Combine(root, mutant.File);
            if (!File.Exists(solution))
            {
                throw new MutantException(shown, $"'file: {mutant.File}' does not exist");
            }

            var original = File.ReadAllText(solution);
            mutants.Add(new PreparedMutant(mutant, original, MutantApplier.Apply(shown, mutant, original)));
        }

        return mutants.Count > 0 ? [.. mutants.OrderBy(m => m.Mutant.File, StringComparer.Ordinal).ThenBy(m => m.Mutant.Id, StringComparer.Ordinal)]
            : throw new GraderException($"{Folder} has no {MutantFile.Extension} files");
    }

    /// <summary>
    /// The mutants a selection names: <c>all</c>, or ids separated by commas (each must exist).
    /// With <paramref name="sample"/>, only that many of them, chosen by <paramref name="seed"/>
    /// (a commit hash in CI, so each commit checks a different few, and the same commit the same few).
    /// </summary>
    /// <exception cref="GraderException">An id names no mutant, or the sample size is not positive.</exception>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> bank, Func<T, string> id, string selection, int? sample = null, string seed = "")
    {
        IReadOnlyList<T> chosen = bank;
        if (selection.Trim() != "all")
        {
            var ids = selection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = ids.Where(i => !bank.Any(m => id(m) == i)).ToList();
            if (ids.Length == 0 || unknown.Count > 0)
            {
                throw new GraderException($"no such mutant: {(ids.Length == 0 ? "(none named)" : string.Join(", ", unknown))} (give 'all' or ids of {Folder}/*{MutantFile.Extension}, separated by commas)");
            }

            chosen = [.. bank.Where(m => ids.Contains(id(m)))];
        }

        if (sample is not { } count)
        {
            return chosen;
        }

        if (count < 1)
        {
            throw new GraderException("--mutant-sample must be at least 1");
        }

        var picked = chosen.OrderBy(m => Rank(seed, id(m)), StringComparer.Ordinal).Take(count).ToHashSet();
        return [.. chosen.Where(picked.Contains)];
    }

    /// <summary>A mutant's place in the shuffled order of a seed: the hash of both, so the order is the same on every machine.</summary>
    private static string Rank(string seed, string id) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed + "\n" + id)));
}
