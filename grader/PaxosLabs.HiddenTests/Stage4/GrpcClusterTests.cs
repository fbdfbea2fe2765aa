using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using Xunit.Abstractions;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>
/// End to end over real gRPC: three <c>replica</c> processes of the built PaxosLabs.Node (its dll is
/// copied next to this assembly), clients in this process. The leader's process is killed in the
/// middle of a write workload; every acknowledged write must survive, exactly once and in order,
/// and writes must complete under the new leader.
/// </summary>
public sealed partial class GrpcClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 3;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ReplicaOsProcess> _replicas = [];
    private Manager? _manager;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }
    }

    [Fact]
    [Graded("4.4", 4)]
    public async Task Acknowledged_writes_survive_killing_the_leader_process_and_writes_resume_under_the_new_leader()
    {
        var nodes = await StartReplicasAsync();
        Log($"3 replica processes serve at {string.Join(", ", nodes.Values)}");
        _manager = new Manager(new GrpcTransport(new GrpcTransportOptions
        {
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            ChannelOptions = new GrpcChannelOptions { InitialReconnectBackoff = TimeSpan.FromMilliseconds(100), MaxReconnectBackoff = TimeSpan.FromSeconds(1) },
        }), new ManagerOptions { ClientName = "e2e-clients" });
        var replicas = new MultiPaxosConfiguration(_manager.NewConfiguration(nodes), new PaxosQSpec(nodes.Count)) { Timeout = TimeSpan.FromSeconds(2) };
        KvClient Client(string id) => new(id, replicas, new KvClientOptions { Deadline = Eventually.DefaultBound });

        // Fails at once when the replicas or the quorum calls are stubs.
        var first = await Eventually.WithinAsync(Client("probe").PutAsync("probe", "1"), "the first write to the 3 replica processes");
        Assert.True(first == "1", $"A put of \"1\" must return the value after the put, \"1\"; got \"{first}\".");

        Log("first write acknowledged");
        var leader = await WaitForLeaderAsync(_replicas, "the 3 replica processes to agree on a leader");
        Log($"leader {leader}");
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => new Writer(Client($"writer-{w}"), $"k{w}")).ToList();
        var runs = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        try
        {
            await WaitAsync(() => writers.All(w => w.Acknowledged >= 10), writers, "every writer to have 10 writes acknowledged by the 3 replicas");

            var victim = _replicas.Single(r => r.Id == leader);
            Log($"killing the leader's process, replica {leader}; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
            victim.Kill();
            var survivors = _replicas.Where(r => r != victim).ToList();
            var newLeader = await WaitForLeaderAsync(survivors, $"the 2 surviving replicas to agree on a new leader after leader {leader} was killed", except: leader);

            var resumeFrom = writers.Select(w => w.Acknowledged).ToList();
            Log($"new leader {newLeader}; acknowledged: {string.Join(", ", resumeFrom)}");
            await WaitAsync(() => writers.Select((w, i) => w.Acknowledged >= resumeFrom[i] + 10).All(x => x), writers,
                $"every writer to have 10 more writes acknowledged under the new leader {newLeader} (leader {leader} was killed)");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }

        Log($"writers stopped; acknowledged: {string.Join(", ", writers.Select(w => w.Acknowledged))}");
        Assert.All(writers, w => Assert.True(w.Failure is null, $"{w.Key}: {w.Failure}"));
        var reader = Client("reader");
        foreach (var writer in writers)
        {
            var value = await Eventually.WithinAsync(reader.GetAsync(writer.Key), $"a read of {writer.Key} from the 2 surviving replicas");
            var acknowledged = writer.Expected();
            // The append in flight when the writers stopped may or may not have run; nothing else may differ.
            var withInFlight = acknowledged + writer.Suffix(writer.Acknowledged);
            Assert.True(value == acknowledged || value == withInFlight,
                $"{writer.Key}: the {writer.Acknowledged} acknowledged appends must each appear once, in order" +
                $" (\"{Tail(acknowledged)}\", possibly followed by the one in flight), after leader {leader} was killed; the replicas have \"{Tail(value)}\".");
        }

        foreach (var survivor in _replicas.Where(r => r.Id != leader))
        {
            Assert.False(survivor.HasExited, $"Replica {survivor.Id} must keep running; it exited with code {survivor.ExitCode}. Its output:\n{survivor.Output}");
        }
    }

    private void Log(string line) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.000} s] {line}"));

    private static string Tail(string s) => s.Length <= 120 ? s : "…" + s[^120..];

    /// <summary>Starts the 3 replica processes on free ports (again, with other ports, if one was taken meanwhile) and waits until each serves.</summary>
    private async Task<Dictionary<uint, string>> StartReplicasAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaxosLabs.Node.dll");
        Assert.True(File.Exists(dll), $"The built PaxosLabs.Node must be next to the tests: {dll} does not exist.");
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts(3);
            var nodes = Enumerable.Range(1, 3).ToDictionary(i => (uint)i, i => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ports[i - 1]}"));
            var map = string.Join(",", nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key}={n.Value}")));
            foreach (var id in nodes.Keys)
            {
                _replicas.Add(ReplicaOsProcess.Start(dll, id, map));
            }

            await Eventually.WaitAsync(() => _replicas.All(r => r.Serving || r.HasExited), "the 3 replica processes to serve (a line \"replica N serves at …\") or exit");
            if (_replicas.All(r => r.Serving && !r.HasExited))
            {
                return nodes;
            }

            var failed = _replicas.First(r => r.HasExited || !r.Serving);
            var problem = $"Replica process {failed.Id} exited with code {failed.ExitCode} while the 3 replicas were starting. Its output:\n{failed.Output}";
            var portTaken = failed.Output.Contains("already in use", StringComparison.Ordinal);
            foreach (var replica in _replicas)
            {
                replica.Dispose();
            }

            _replicas.Clear();
            Assert.True(portTaken && attempt < 3, problem);
        }
    }

    /// <summary>Waits until every replica of <paramref name="replicas"/> reports the same leader (not <paramref name="except"/>); fails at once if one exits.</summary>
    private static async Task<uint> WaitForLeaderAsync(List<ReplicaOsProcess> replicas, string what, uint? except = null)
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

    /// <summary>Waits for <paramref name="condition"/>; fails at once when a writer failed or a live replica process exited.</summary>
    private async Task WaitAsync(Func<bool> condition, List<Writer> writers, string what)
    {
        await WaitNamingStateAsync(() =>
        {
            ThrowIfExited([.. _replicas.Where(r => !r.Killed)]);
            if (writers.FirstOrDefault(w => w.Failure is not null) is { } failed)
            {
                throw new InvalidOperationException($"{failed.Key}: {failed.Failure}");
            }

            return condition();
        }, what, () => $"the writers had {string.Join(", ", writers.Select(w => $"{w.Key} {w.Acknowledged}"))} appends acknowledged; replica outputs:\n{string.Join("\n", _replicas.Select(r => $"-- replica {r.Id}{(r.Killed ? " (killed)" : "")}:\n{r.Output}"))}");
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

    /// <summary>A client that appends "0;", "1;", … to its own key, one at a time, counting the acknowledged appends.</summary>
    private sealed class Writer(KvClient client, string key)
    {
        private int _acknowledged;

        public string Key { get; } = key;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public string? Failure { get; private set; }

        public string Suffix(int n) => string.Create(CultureInfo.InvariantCulture, $"{n};");

        public string Expected() => string.Concat(Enumerable.Range(0, Acknowledged).Select(Suffix));

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Acknowledged;
                string value;
                try
                {
                    value = await client.AppendAsync(Key, Suffix(n), stop);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // the test reports any failure of a write with its message
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Failure = $"append #{n} failed: {e.GetType().Name}: {e.Message}";
                    return;
                }

                var expected = Expected() + Suffix(n);
                if (value != expected)
                {
                    Failure = $"append #{n} returned \"{Tail(value)}\"; after {n + 1} appends, each once and in order, the value is \"{Tail(expected)}\"";
                    return;
                }

                Interlocked.Increment(ref _acknowledged);
            }
        }
    }

    /// <summary>One <c>replica</c> process; its output is collected, its leader lines parsed.</summary>
    private sealed partial class ReplicaOsProcess : IDisposable
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

        public string Output
        {
            get
            {
                lock (_gate)
                {
                    return string.Join("\n", _lines.TakeLast(40));
                }
            }
        }

        public static ReplicaOsProcess Start(string dll, uint id, string nodes)
        {
            var start = new ProcessStartInfo(Dotnet())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { dll, "replica", "--id", id.ToString(CultureInfo.InvariantCulture), "--nodes", nodes, "--delta-ms", "200" })
            {
                start.ArgumentList.Add(arg);
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
}
