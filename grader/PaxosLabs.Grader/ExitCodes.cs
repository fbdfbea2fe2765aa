namespace PaxosLabs.Grader;

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found a problem (for example, skeletons/ is out of date).</summary>
    public const int CheckFailed = 1;

    /// <summary>The command could not run: bad arguments, marker errors, I/O failures.</summary>
    public const int Error = 2;
}
