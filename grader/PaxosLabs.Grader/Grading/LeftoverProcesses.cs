using System.Diagnostics;
using System.Globalization;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// Finds and kills the processes a test run left behind. The grader gives each run's child a
/// variable with a random value; a process that detached from the child's tree (and so escaped the
/// tree kill at the time bound) still carries it in its initial environment. Linux only (it reads
/// <c>/proc/&lt;pid&gt;/environ</c>); elsewhere it finds nothing. Best effort: a process that
/// re-executes itself with a clean environment is not found.
/// </summary>
public static class LeftoverProcesses
{
    /// <summary>The variable that marks a run's processes.</summary>
    public const string MarkerVariable = "PAXOSLABS_GRADE_RUN";

    /// <summary>A fresh marker value for one run.</summary>
    public static string NewMarker() => Guid.NewGuid().ToString("N");

    /// <summary>Kills every process (but this one) whose initial environment has <c>MarkerVariable=marker</c>; returns how many.</summary>
    public static int Kill(string marker)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return 0;
        }

        var wanted = $"{MarkerVariable}={marker}";
        var self = Environment.ProcessId;
        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            if (HasMarker(Path.Combine(directory, "environ"), wanted) && TryKill(pid))
            {
                killed++;
            }
        }

        return killed;
    }

    private static bool HasMarker(string environPath, string wanted)
    {
        try
        {
            var entries = File.ReadAllText(environPath).Split('\0');
            return entries.Contains(wanted, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or another user's process
        }
    }

    private static bool TryKill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or AggregateException or System.ComponentModel.Win32Exception)
        {
            return false; // exited meanwhile, or not ours to kill
        }

        // Not our child, so not ours to wait for: watch it go (a zombie counts as gone).
        var clock = Stopwatch.StartNew();
        while (IsAlive(pid) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        return true;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
