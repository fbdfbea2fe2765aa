using System.Globalization;
using PaxosLabs.HiddenTests;
using PaxosLabs.Testing;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>
/// The replica processes of a lab, each in its namespace with its data folder. Killed replicas are
/// started again from their folders (safe from stage 5 on); a replica that exits without being
/// killed, or prints an error, is a failure of the run (<see cref="Problems"/>).
/// </summary>
internal sealed class ReplicaSet(NetworkLab lab, string dataRoot) : IDisposable
{
    private readonly Dictionary<uint, ReplicaOsProcess> _replicas = [];
    private readonly List<ReplicaOsProcess> _dead = [];
    private readonly HashSet<uint> _paused = [];
    private readonly Lock _gate = new();

    public string Map { get; } = string.Join(",", lab.Ids.Select(id => string.Create(CultureInfo.InvariantCulture, $"{id}={NetworkLab.Endpoint(id)}")));

    public IReadOnlyList<uint> Ids => lab.Ids;

    public ReplicaOsProcess this[uint id]
    {
        get
        {
            lock (_gate)
            {
                return _replicas[id];
            }
        }
    }

    private List<ReplicaOsProcess> All()
    {
        lock (_gate)
        {
            return [.. _replicas.Values, .. _dead];
        }
    }

    /// <summary>Starts every replica and waits until each serves.</summary>
    public Task StartAsync() => StartAsync(lab.Ids);

    /// <summary>Starts <paramref name="ids"/> (again, from their folders, if they ran before) and waits until each serves.</summary>
    public async Task StartAsync(IReadOnlyCollection<uint> ids)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaxosLabs.Node.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The built PaxosLabs.Node must be next to the tests: {dll} does not exist.");
        }

        var started = new List<ReplicaOsProcess>();
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_replicas.Remove(id, out var old))
                {
                    _dead.Add(old);
                }

                var replica = ReplicaOsProcess.Start(dll, id, Map, Path.Combine(dataRoot, string.Create(CultureInfo.InvariantCulture, $"replica-{id}")), lab.Namespace(id));
                _replicas[id] = replica;
                started.Add(replica);
            }
        }

        await Eventually.WaitAsync(() => started.All(r => r.Serving || r.HasExited), $"replica(s) {string.Join(", ", ids)} to serve");
        if (started.FirstOrDefault(r => !r.Serving) is { } failed)
        {
            throw new InvalidOperationException($"Replica {failed.Id} exited with code {failed.ExitCode} while starting in namespace {lab.Namespace(failed.Id)}. Its output:\n{failed.Tail(30)}");
        }
    }

    /// <summary>SIGSTOP: replica <paramref name="id"/> freezes (its peers see nothing but silence) until <see cref="ResumeAll"/>.</summary>
    public void Pause(uint id)
    {
        lock (_gate)
        {
            Signal(_replicas[id], Native.SIGSTOP);
            _paused.Add(id);
        }
    }

    /// <summary>SIGCONT to every paused replica.</summary>
    public void ResumeAll()
    {
        lock (_gate)
        {
            foreach (var id in _paused)
            {
                Signal(_replicas[id], Native.SIGCONT);
            }

            _paused.Clear();
        }
    }

    private static void Signal(ReplicaOsProcess replica, int signal)
    {
        if (!replica.HasExited && Native.Kill(replica.Pid, signal) != 0 && !replica.HasExited)
        {
            throw new InvalidOperationException($"signal {signal} to replica {replica.Id} (pid {replica.Pid}) failed");
        }
    }

    /// <summary>The leader every running replica names, or null while they disagree or name none.</summary>
    public uint? AgreedLeader()
    {
        List<ReplicaOsProcess> live;
        lock (_gate)
        {
            live = [.. _replicas.Values.Where(r => !r.Killed)];
        }

        var views = live.Select(r => r.Leader).Distinct().ToList();
        return views.Count == 1 && views[0] is { } leader ? leader : null;
    }

    /// <summary>Replicas that exited without being killed, and error lines of any replica.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        foreach (var replica in All())
        {
            if (replica.HasExited && !replica.Killed)
            {
                problems.Add($"replica {replica.Id} exited on its own with code {replica.ExitCode}; its last output:\n{replica.Tail(30)}");
            }

            problems.AddRange(replica.Errors().Select(e => $"replica {replica.Id} printed: {e}"));
        }

        return problems;
    }

    public void Dispose()
    {
        foreach (var replica in All())
        {
            replica.Dispose();
        }
    }
}
