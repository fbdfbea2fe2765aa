namespace PaxosLabs.Node;

/// <summary>
/// A command of an unfinished stage reaches a stub (<c>NotImplementedException("TODO(N.k): …")</c>),
/// maybe on a timer's thread: it then says which task is missing, in one line, and exits with
/// <see cref="ExitCode"/>, instead of dying with a stack dump.
/// </summary>
internal static class StubReached
{
    public const int ExitCode = 3;

    /// <summary>The line for the student when <paramref name="failure"/> is (or wraps) a task's stub; else null.</summary>
    public static string? Describe(Exception failure)
    {
        var pending = new Stack<Exception>([failure]);
        while (pending.TryPop(out var e))
        {
            if (e is NotImplementedException stub && stub.Message.StartsWith("TODO(", StringComparison.Ordinal))
            {
                return $"error: this command runs code of a task that is not done yet, {stub.Message}";
            }

            foreach (var inner in e is AggregateException all ? all.InnerExceptions : e.InnerException is { } one ? [one] : [])
            {
                pending.Push(inner);
            }
        }

        return null;
    }

    /// <summary>Makes a stub reached on any thread end the process with its line and <see cref="ExitCode"/>.</summary>
    public static void ExitOnAnyThread() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception failure && Describe(failure) is { } line)
            {
                Console.Error.WriteLine(line);
                Environment.Exit(ExitCode);
            }
        };
}
