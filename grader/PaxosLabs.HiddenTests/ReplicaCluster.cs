using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using Xunit.Abstractions;

namespace PaxosLabs.HiddenTests;

/// <summary>
/// Replica processes of the built PaxosLabs.Node (its dll is copied next to this assembly) on
/// 127.0.0.1, and clients in this process: the end-to-end tests of stages 4 and 5. Waits fail at once
/// when a replica that should run has exited, and name the state they saw when they time out.
/// </summary>
internal sealed class ReplicaCluster(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Func<uint, string?> _dataDir = _ => null;
    private string _map = "";
    private string? _members;
    private Manager? _manager;
    private MultiPaxosConfiguration? _configuration;

    public List<ReplicaOsProcess> Replicas { get; } = [];

    public Dictionary<uint, string> Nodes { get; private set; } = [];

    /// <summary>The replicas of the initial configuration: every node, but the spares of stage 6.</summary>
    public Dictionary<uint, string> Members { get; private set; } = [];

    public void Log(string line) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.000} s] {line}"));

    public static string Tail(string s) => s.Length <= 120 ? s : "…" + s[^120..];

    /// <summary>A client of every replica, retrying for up to the tests' bound.</summary>
    public KvClient Client(string id)
    {
        _manager ??= new Manager(new GrpcTransport(new GrpcTransportOptions
        {
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            ChannelOptions = new GrpcChannelOptions { InitialReconnectBackoff = TimeSpan.FromMilliseconds(100), MaxReconnectBackoff = TimeSpan.FromSeconds(1) },
        }), new ManagerOptions { ClientName = "e2e-clients" });
        _configuration ??= new MultiPaxosConfiguration(_manager.NewConfiguration(Members), new PaxosQSpec(Members.Count)) { Timeout = TimeSpan.FromSeconds(2) };
        return new KvClient(id, _configuration, new KvClientOptions { Deadline = Eventually.DefaultBound });
    }

    /// <summary>Starts <paramref name="n"/> replica processes on free ports (again, with other ports, if one was taken meanwhile) and waits until each serves.</summary>
    /// <param name="dataDir">Stage 5: each replica's --data-dir; null: in memory.</param>
    /// <param name="spares">Stage 6: this many more nodes (ids n + 1, …), not started: the replicas run with --members 1,…,n.</param>
    public async Task StartAsync(int n, Func<uint, string?>? dataDir = null, int spares = 0)
    {
        _dataDir = dataDir ?? (_ => null);
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts(n + spares);
            Nodes = Enumerable.Range(1, n + spares).ToDictionary(i => (uint)i, i => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ports[i - 1]}"));
            Members = Nodes.Where(node => node.Key <= n).ToDictionary();
            _map = string.Join(",", Nodes.Select(node => string.Create(CultureInfo.InvariantCulture, $"{node.Key}={node.Value}")));
            _members = spares == 0 ? null : string.Join(",", Members.Keys);
            Replicas.AddRange(Members.Keys.Select(Launch));
            if (await ServingAsync(Replicas) is not { } failed)
            {
                return;
            }

            var problem = $"Replica process {failed.Id} exited with code {failed.ExitCode} while the {n} replicas were starting. Its output:\n{failed.Output}";
            var portTaken = failed.Output.Contains("already in use", StringComparison.Ordinal);
            foreach (var replica in Replicas)
            {
                replica.Dispose();
            }

            Replicas.Clear();
            Assert.True(portTaken && attempt < 3, problem);
        }
    }

    /// <summary>Starts the killed replicas <paramref name="ids"/> again, at their addresses and with their data folders, and waits until each serves.</summary>
    public async Task RestartAsync(IReadOnlyCollection<uint> ids)
    {
        var restarted = ids.Select(Launch).ToList();
        Replicas.RemoveAll(r => ids.Contains(r.Id));
        Replicas.AddRange(restarted);
        if (await ServingAsync(restarted) is { } failed)
        {
            Assert.Fail($"Replica process {failed.Id} exited with code {failed.ExitCode} when it was started again from its data folder. Its output:\n{failed.Output}");
        }
    }

    /// <summary>Stage 6: the store changed its configuration: clients made from now on start with these replicas.</summary>
    public void Reconfigured(MultiPaxos.Membership members)
    {
        Members = members.Nodes.ToDictionary();
        _configuration = null;
    }

    /// <summary>Stage 6: starts the spare <paramref name="id"/> (fresh, in memory) and waits until it serves.</summary>
    public async Task StartSpareAsync(uint id)
    {
        var spare = Launch(id);
        Replicas.Add(spare);
        if (await ServingAsync([spare]) is { } failed)
        {
            Assert.Fail($"Spare replica process {failed.Id} exited with code {failed.ExitCode} when it was started. Its output:\n{failed.Output}");
        }
    }

    /// <summary>Waits until every replica of <paramref name="replicas"/> reports the same leader (not <paramref name="except"/>); fails at once if one exits.</summary>
    public static async Task<uint> WaitForLeaderAsync(List<ReplicaOsProcess> replicas, string what, uint? except = null)
    {
        uint agreed = 0;
        await WaitNamingStateAsync(() =>
        {
            ThrowIfExited(replicas);
            var views = replicas.Select(r => r.Leader).Distinct().ToList();
            if (views.Count == 1 && views[0] is { } leader && leader != except && replicas.Any(r => r.Id == leader))
            {
                agreed = leader;
                return true;
            }

            return false;
        }, what, () => $"their last leader lines: {string.Join(", ", replicas.Select(r => $"replica {r.Id}: {r.Leader?.ToString(CultureInfo.InvariantCulture) ?? "none"}"))}");
        return agreed;
    }

    /// <summary>Waits for <paramref name="condition"/>; fails at once when a writer failed or a live replica process exited.</summary>
    public async Task WaitAsync(Func<bool> condition, List<Writer> writers, string what)
    {
        await WaitNamingStateAsync(() =>
        {
            ThrowIfExited([.. Replicas.Where(r => !r.Killed)]);
            if (writers.FirstOrDefault(w => w.Failure is not null) is { } failed)
            {
                throw new InvalidOperationException($"{failed.Key}: {failed.Failure}");
            }

            return condition();
        }, what, () => $"the writers had {string.Join(", ", writers.Select(w => $"{w.Key} {w.Acknowledged}"))} appends acknowledged; replica outputs:\n{string.Join("\n", Replicas.Select(r => $"-- replica {r.Id}{(r.Killed ? " (killed)" : "")}:\n{r.Output}"))}");
    }

    /// <summary>Reads every writer's key and checks that each acknowledged append is there once, in order (the one in flight at the stop may be there too).</summary>
    public async Task CheckWritersAsync(List<Writer> writers, string after)
    {
        var reader = Client("reader");
        foreach (var writer in writers)
        {
            var value = await Eventually.WithinAsync(reader.GetAsync(writer.Key), $"a read of {writer.Key}");
            var acknowledged = writer.Expected();
            var withInFlight = acknowledged + writer.Suffix(writer.Acknowledged);
            Assert.True(value == acknowledged || value == withInFlight,
                $"{writer.Key}: the {writer.Acknowledged} acknowledged appends must each appear once, in order" +
                $" (\"{Tail(acknowledged)}\", possibly followed by the one in flight), {after}; the replicas have \"{Tail(value)}\".");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            replica.Dispose();
        }

        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }
    }

    private ReplicaOsProcess Launch(uint id)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaxosLabs.Node.dll");
        Assert.True(File.Exists(dll), $"The built PaxosLabs.Node must be next to the tests: {dll} does not exist.");
        return ReplicaOsProcess.Start(dll, id, _map, _dataDir(id), members: _members);
    }

    /// <summary>Waits until each replica serves or exits; returns one that exited or does not serve, or null.</summary>
    private static async Task<ReplicaOsProcess?> ServingAsync(List<ReplicaOsProcess> replicas)
    {
        await Eventually.WaitAsync(() => replicas.All(r => r.Serving || r.HasExited), $"{replicas.Count} replica process(es) to serve (a line \"replica N serves at …\") or exit");
        return replicas.FirstOrDefault(r => r.HasExited || !r.Serving);
    }

    /// <summary><see cref="Eventually.WaitAsync"/>, and on a timeout the state at that moment.</summary>
    private static async Task WaitNamingStateAsync(Func<bool> condition, string what, Func<string> state)
    {
        try
        {
            await Eventually.WaitAsync(condition, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} At the end, {state()}.", e);
        }
    }

    private static void ThrowIfExited(List<ReplicaOsProcess> replicas)
    {
        if (replicas.FirstOrDefault(r => r.HasExited) is { } exited)
        {
            throw new InvalidOperationException($"Replica process {exited.Id} exited with code {exited.ExitCode}. Its output:\n{exited.Output}");
        }
    }

    /// <summary>n distinct ports that were free a moment ago.</summary>
    private static int[] FreePorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
