namespace PaxosLabs.Grader.Skeletons;

/// <summary>Thrown when solution files have marker errors; carries all of them.</summary>
public sealed class MarkerErrorsException : GraderException
{
    public MarkerErrorsException(IReadOnlyList<MarkerError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<MarkerError> Errors { get; }

    private static string Describe(IReadOnlyList<MarkerError> errors) =>
        string.Join(Environment.NewLine, errors.Select(e => e.ToString()))
        + Environment.NewLine
        + $"{errors.Count} marker error(s) in solutions/; nothing was generated.";
}
