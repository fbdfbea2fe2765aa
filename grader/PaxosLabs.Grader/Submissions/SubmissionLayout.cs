namespace PaxosLabs.Grader.Submissions;

/// <summary>How a submission is laid out.</summary>
public enum SubmissionLayout
{
    /// <summary>A student repository made by <c>handout</c>: the code under <c>src/</c>.</summary>
    Handout,

    /// <summary>A tree shaped like skeletons/ (or solutions/): the projects at its top.</summary>
    Tree,
}

/// <summary>A file of the submission the grader did not take, and why.</summary>
public sealed record IgnoredFile(string Path, string Reason)
{
    public override string ToString() => $"{Path} ({Reason})";
}
