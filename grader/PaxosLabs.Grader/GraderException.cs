namespace PaxosLabs.Grader;

/// <summary>
/// A failure the user can fix (a bad marker, a missing folder). The CLI prints its message
/// without a stack trace and exits with code 2.
/// </summary>
public class GraderException : Exception
{
    public GraderException()
    {
    }

    public GraderException(string message)
        : base(message)
    {
    }

    public GraderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
