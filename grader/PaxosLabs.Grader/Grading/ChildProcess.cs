using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PaxosLabs.Grader.Grading;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">The child's exit code (after a kill, whatever the system reports).</param>
/// <param name="TimedOut">The child outlived its bound and was killed with its whole process tree.</param>
/// <param name="Output">Its stdout and stderr lines, interleaved as they arrived (at most <see cref="ChildProcess.MaxLines"/>).</param>
/// <param name="Elapsed">From start until it exited or was killed.</param>
/// <param name="ProcessId">The child's process id.</param>
public sealed record ChildResult(int ExitCode, bool TimedOut, IReadOnlyList<string> Output, TimeSpan Elapsed, int ProcessId)
{
    /// <summary>
    /// The wall-clock time (UTC) at which the child exited or was killed, taken before its output is
    /// drained: a file the child was to write must not be newer than this.
    /// </summary>
    public DateTime ExitedAtUtc { get; init; }
}

/// <summary>
/// Runs a program with a hard time bound: stdout and stderr are read asynchronously (a child that
/// writes a lot never blocks on a full pipe), copied to a log file, and when the bound expires the
/// child and every process it started are killed.
/// </summary>
public static class ChildProcess
{
    /// <summary>Lines kept in memory; the log file has more (up to <see cref="MaxLogBytes"/>).</summary>
    public const int MaxLines = 20_000;

    public const long MaxLogBytes = 64L * 1024 * 1024;

    /// <summary>
    /// How long to wait for the output pipes to close once the child has exited. A grandchild that
    /// outlives the child (a build server) may hold them open; its output is then not waited for.
    /// </summary>
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(10);

    /// <param name="fileName">The program (a path, or a name looked up on PATH).</param>
    /// <param name="arguments">Passed as they are, without shell quoting.</param>
    /// <param name="workingDirectory">The child's current directory.</param>
    /// <param name="timeout">The hard bound.</param>
    /// <param name="logPath">When set, every output line is written there too (the folder is created).</param>
    /// <param name="environment">Variables to set for the child; a null value removes the variable.</param>
    /// <exception cref="GraderException">The program cannot be started.</exception>
    public static ChildResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        string? logPath = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var sink = new OutputSink(logPath);
        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new GraderException($"cannot start {fileName}: {e.Message}", e);
        }

        process.StandardInput.Close(); // a child that asks for input gets end of file, not a hang
        Task[] pumps = [Pump(process.StandardOutput, sink), Pump(process.StandardError, sink)];

        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            KillTree(process);
        }

        var elapsed = clock.Elapsed;
        var exitedAt = DateTime.UtcNow;
        Task.WaitAll(pumps, DrainBound);
        if (timedOut)
        {
            sink.Add(string.Create(CultureInfo.InvariantCulture, $"[grader] killed after {timeout.TotalSeconds:0.#} s: the time bound expired"));
        }

        return new ChildResult(process.HasExited ? process.ExitCode : -1, timedOut, sink.Lines, elapsed, process.Id) { ExitedAtUtc = exitedAt };
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the bound and the kill.
        }
        catch (AggregateException)
        {
            // Some descendant could not be killed (it exited meanwhile, or belongs to someone else);
            // the child itself is waited for below.
        }

        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private static async Task Pump(StreamReader reader, OutputSink sink)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                sink.Add(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }
    }

    /// <summary>Collects lines from both pipes and writes them to the log file as they come.</summary>
    private sealed class OutputSink : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];
        private StreamWriter? _log;
        private long _logBytes;
        private int _dropped;

        public OutputSink(string? logPath)
        {
            if (logPath is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
                _log = new StreamWriter(logPath, append: false, new UTF8Encoding(false)) { AutoFlush = true };
            }
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return _dropped == 0 ? [.. _lines] : [.. _lines, string.Create(CultureInfo.InvariantCulture, $"[grader] {_dropped} more line(s) not kept")];
                }
            }
        }

        public void Add(string line)
        {
            lock (_gate)
            {
                if (_lines.Count < MaxLines)
                {
                    _lines.Add(line);
                }
                else
                {
                    _dropped++;
                }

                if (_log is null)
                {
                    return;
                }

                _logBytes += Encoding.UTF8.GetByteCount(line) + 1;
                if (_logBytes <= MaxLogBytes)
                {
                    _log.WriteLine(line);
                }
                else
                {
                    _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[grader] log cut at {MaxLogBytes / (1024 * 1024)} MiB"));
                    _log.Dispose();
                    _log = null;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _log?.Dispose();
                _log = null;
            }
        }
    }
}
