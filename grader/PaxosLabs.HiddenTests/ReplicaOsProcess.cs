using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PaxosLabs.HiddenTests;

/// <summary>
/// One <c>replica</c> process of the built PaxosLabs.Node; its output is collected, its leader lines
/// parsed. The kit's network fault test (grader/PaxosLabs.NetFault.Tests) compiles this file too, and
/// starts each replica in a network namespace of its own.
/// </summary>
internal sealed partial class ReplicaOsProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private uint? _leader;
    private bool _serving;

    private ReplicaOsProcess(uint id, Process process)
    {
        Id = id;
        _process = process;
    }

    public uint Id { get; }

    public bool Killed { get; private set; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.HasExited ? _process.ExitCode : -1;

    /// <summary>The process id, for signals (<c>ip netns exec</c> execs, so it is the replica's own).</summary>
    public int Pid => _process.Id;

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

    /// <summary>Its last 40 lines of output.</summary>
    public string Output => Tail(40);

    /// <summary>Its last <paramref name="count"/> lines of output.</summary>
    public string Tail(int count)
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

    /// <param name="dataDir">Stage 5: the replica's --data-dir; null: its state is in memory.</param>
    /// <param name="netns">A Linux network namespace to run it in (<c>ip netns exec</c>); null: this process's own.</param>
    /// <param name="members">Stage 6: the replica's --members ("1,2,3"); null: a store that never changes its configuration.</param>
    public static ReplicaOsProcess Start(string dll, uint id, string nodes, string? dataDir = null, string? netns = null, string? members = null)
    {
        var start = new ProcessStartInfo(netns is null ? Dotnet() : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] prefix = netns is null ? [] : ["netns", "exec", netns, Dotnet()];
        foreach (var arg in prefix.Concat([dll, "replica", "--id", id.ToString(CultureInfo.InvariantCulture), "--nodes", nodes, "--delta-ms", "200"]))
        {
            start.ArgumentList.Add(arg);
        }

        if (dataDir is not null)
        {
            start.ArgumentList.Add("--data-dir");
            start.ArgumentList.Add(dataDir);
        }

        if (members is not null)
        {
            start.ArgumentList.Add("--members");
            start.ArgumentList.Add(members);
        }

        var process = new Process { StartInfo = start };
        var replica = new ReplicaOsProcess(id, process);
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
