using System.ComponentModel;
using System.Diagnostics;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>Runs the system's network tools (ip, tc, ss) and says plainly what failed.</summary>
internal static class Shell
{
    /// <summary>The exit code and the output of <paramref name="program"/>; exit code 127 when it cannot be started.</summary>
    public static (int Code, string Output) Try(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return (124, $"{Show(program, args)} did not end within 30 s");
            }

            return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
        }
        catch (Win32Exception e)
        {
            return (127, $"{program} cannot be started: {e.Message}");
        }
    }

    /// <summary>Runs the command; <see cref="InvalidOperationException"/> naming it and its output when it fails.</summary>
    public static string Run(string program, params string[] args)
    {
        var (code, output) = Try(program, args);
        return code == 0 ? output : throw new InvalidOperationException($"`{Show(program, args)}` failed (exit code {code}): {output}");
    }

    public static string Show(string program, IEnumerable<string> args) => string.Join(' ', args.Prepend(program));
}
