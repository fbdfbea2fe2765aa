using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Mutants;

/// <summary>
/// One realistic student mistake: in the solution file <see cref="File"/>, the text
/// <see cref="Find"/> (which occurs exactly once, inside a task region) replaced by <see cref="Replace"/>.
/// </summary>
/// <param name="Id">The mutant file's name without <c>.mutant</c>.</param>
/// <param name="File">The solution file, relative to the kit root with '/' (<c>solutions/…</c>).</param>
/// <param name="Task">The task whose region it changes; its stage's hidden tests must kill it.</param>
/// <param name="Rule">The rule it breaks, citing its section of docs/protocol.md (<c>protocol §N.k</c>).</param>
/// <param name="Description">The mistake, in one line.</param>
/// <param name="Find">The exact text of the solution, lines joined with "\n".</param>
/// <param name="Replace">What a student wrote instead (may be empty).</param>
public sealed record Mutant(string Id, string File, TaskId Task, string Rule, string Description, string Find, string Replace)
{
    public int Stage => Task.Stage;

    /// <summary>The file's path inside solutions/ (and inside an overlaid tree).</summary>
    public string PathInTree => File[(SkeletonGenerator.SolutionsFolder.Length + 1)..];
}

/// <summary>A mutant file that cannot be read or applied; the message names the file.</summary>
public sealed class MutantException : GraderException
{
    public MutantException(string mutantFile, string message)
        : base($"{mutantFile}: {message}")
    {
    }

    public MutantException()
    {
    }

    public MutantException(string message)
        : base(message)
    {
    }

    public MutantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
