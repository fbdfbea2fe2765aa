namespace PaxosLabs.Grader.Skeletons;

public enum DifferenceKind
{
    /// <summary>The file exists in skeletons/ with other content.</summary>
    Differs,

    /// <summary>solutions/ generates the file but skeletons/ lacks it.</summary>
    Missing,

    /// <summary>skeletons/ has a file that solutions/ does not generate.</summary>
    Extra,

    /// <summary>A marked solution file changed (perhaps only inside a region) since skeletons/ was generated; the path is relative to solutions/.</summary>
    SourceChanged,
}

/// <summary>One way in which skeletons/ is out of date; <see cref="RelativePath"/> is relative to skeletons/.</summary>
public sealed record SkeletonDifference(string RelativePath, DifferenceKind Kind)
{
    public const string RegenerateCommand = "dotnet run --project grader/PaxosLabs.Grader -- skeletons";

    public string Reason => Kind switch
    {
        DifferenceKind.Differs => $"differs from what solutions/ generates: run `{RegenerateCommand}`",
        DifferenceKind.Missing => $"missing, although solutions/ generates it: run `{RegenerateCommand}`",
        DifferenceKind.SourceChanged => $"changed since skeletons/ was generated (see {SkeletonGenerator.SkeletonsFolder}/{SkeletonGenerator.SourcesManifest}): run `{RegenerateCommand}`",
        _ => $"has no counterpart in solutions/ (or its source is instructor-only): run `{RegenerateCommand}` to delete it",
    };

    public override string ToString() =>
        $"{(Kind == DifferenceKind.SourceChanged ? SkeletonGenerator.SolutionsFolder : SkeletonGenerator.SkeletonsFolder)}/{RelativePath}: {Reason}";
}
