using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>
/// One <c>replica --data-dir</c> process of the built PaxosLabs.Node, started in its namespace with
/// <c>ip netns exec</c> (which execs, so the process is the replica itself and signals reach it).
/// Its output is kept; its "leader N" lines are parsed.
/// </summary>
internal sealed partial class ReplicaProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private uint? _leader;
    private bool _serving;

    private ReplicaProcess(uint id, Process process)
    {
        Id = id;
        _process = process;
    }

    public uint Id { get; }

    /// <summary>True once the test killed it on purpose (an exit is then expected).</summary>
    public bool Killed { get; private set; }

    public bool Paused { get; private set; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.HasExited ? _process.ExitCode : -1;

    public bool Serving
    {
        get
        {
            lock (_gate)
            {
                return _serving;
            }
        }
    }

    /// <summary>The leader of its last "leader N" line; null for none yet or "leader none".</summary>
    public uint? Leader
    {
        get
        {
            lock (_gate)
            {
                return _leader;
            }
        }
    }

    /// <summary>Its last <paramref name="count"/> lines of output.</summary>
    public string Tail(int count = 30)
    {
        lock (_gate)
        {
            return string.Join("\n", _lines.TakeLast(count));
        }
    }

    /// <summary>Its "error: …" lines: a background loop of the replica that failed.</summary>
    public List<string> Errors()
    {
        lock (_gate)
        {
            return [.. _lines.Where(l => l.StartsWith("error:", StringComparison.Ordinal))];
        }
    }

    public static ReplicaProcess Start(string netns, string dll, uint id, string nodes, string dataDir)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "netns", "exec", netns, Dotnet(), dll, "replica", "--id", id.ToString(CultureInfo.InvariantCulture), "--nodes", nodes, "--delta-ms", "200", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var replica = new ReplicaProcess(id, process);
        process.OutputDataReceived += (_, e) => replica.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => replica.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            if (line.StartsWith("replica ", StringComparison.Ordinal) && line.Contains(" serves at ", StringComparison.Ordinal))
            {
                _serving = true;
            }
            else if (LeaderLine().Match(line) is { Success: true } match)
            {
                _leader = match.Groups[1].Value == "none" ? null : uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>SIGKILL: the process ends at once, with what it had not flushed.</summary>
    public void Kill()
    {
        Killed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGSTOP: the process freezes (its peers see nothing but silence) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        Paused = true;
        Signal(Native.SIGSTOP);
    }

    public void Resume()
    {
        Paused = false;
        Signal(Native.SIGCONT);
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && Native.Kill(_process.Id, signal) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"signal {signal} to replica {Id} (pid {_process.Id}) failed");
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
            _process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host that runs the tests (it has the runtimes they need).</summary>
    private static string Dotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    [GeneratedRegex(@"^leader (\d+|none)$")]
    private static partial Regex LeaderLine();
}
