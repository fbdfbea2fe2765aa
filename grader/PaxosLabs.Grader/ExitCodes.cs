namespace PaxosLabs.Grader;

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    /// <summary>
    /// The command did its job. For <c>grade</c>: the implementation was graded, whatever the score
    /// (a score of 0 is a result, not a failure).
    /// </summary>
    public const int Success = 0;

    /// <summary>The command ran and found a problem (for example, skeletons/ is out of date).</summary>
    public const int CheckFailed = 1;

    /// <summary>
    /// The command could not run: bad arguments, marker errors, I/O failures, or an error of the kit
    /// itself (for <c>grade</c>: a hidden test without <c>[Graded]</c>, a missing test assembly).
    /// </summary>
    public const int Error = 2;

    /// <summary><c>grade</c>: the hidden tests do not compile against the implementation; the score is 0.</summary>
    public const int DoesNotCompile = 3;

    /// <summary>
    /// <c>grade</c>: the machine, not the submission, stopped the grading (the build ran past its
    /// bound, or failed without a compiler error): no score; grade it again.
    /// </summary>
    public const int NotGraded = 4;
}
