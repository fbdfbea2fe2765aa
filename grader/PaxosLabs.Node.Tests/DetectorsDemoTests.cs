using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Testing;
using static PaxosLabs.Node.DetectorsDemo;

namespace PaxosLabs.Node.Tests;

/// <summary>
/// detectors-demo: a stopped node prints nothing from the line that reports it stopped until it is
/// restarted. Once on the in-memory network with a virtual clock whose host takes time to stop,
/// once for real over gRPC on 127.0.0.1.
/// </summary>
public sealed partial class DetectorsDemoTests
{
    private static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_stopped_node_prints_nothing_after_its_stop_line_while_its_host_takes_time_to_stop()
    {
        var time = new FakeTimeProvider();
        var output = new LineWriter();
        // While the node's host stops, ten of its timeouts pass: a detector still running then would
        // hear from no one and suspect every node.
        var hosting = new InMemoryHosting(time, shutdown: 10 * Delta);
        await using var cluster = new DemoCluster(3, Delta, output, hosting, time);
        await Eventually.WithinAsync(cluster.StartAsync(CancellationToken.None), "the cluster to start");

        await Eventually.WithinAsync(cluster.StopAsync(2, "the leader"), "node 2 to stop");
        await AdvanceUntilAsync(time, () => Printed(output, "node 0 suspects node 2") && Printed(output, "node 1 suspects node 2"),
            "nodes 0 and 1 to print that they suspect node 2", output);

        await Eventually.WithinAsync(cluster.RestartAsync(2, CancellationToken.None), "node 2 to restart");
        await AdvanceUntilAsync(time, () => Printed(output, "node 0 restores node 2") && Printed(output, "node 1 restores node 2"),
            "nodes 0 and 1 to print that they restore node 2", output);

        AssertQuietWhileStopped(output, 2);
    }

    [Fact]
    public async Task Over_grpc_the_stopped_leader_prints_nothing_from_its_stop_line_to_its_restart()
    {
        var output = new LineWriter();
        var schedule = new DemoSchedule(StopAt: TimeSpan.FromSeconds(1), RestartAt: TimeSpan.FromSeconds(2.5), EndAt: TimeSpan.FromSeconds(4));
        using var stop = new CancellationTokenSource();
        try
        {
            // The smallest delta the command takes: a detector left running while its host stops
            // (tens of milliseconds) would time out several times meanwhile.
            var exit = await Eventually.WithinAsync(RunAsync(3, TimeSpan.FromMilliseconds(10), schedule, output, stop.Token), "the detectors demo to end");
            Assert.Equal(0, exit);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var stopped = output.Lines.Select(l => StopLine().Match(l)).Where(m => m.Success).ToList();
        Assert.True(stopped.Count == 1, $"Expected one line '-- node N stopped (the leader)'. Output:\n{output}");
        var id = uint.Parse(stopped[0].Groups["id"].Value, CultureInfo.InvariantCulture);
        AssertQuietWhileStopped(output, id);

        // The summary names every running node: the restarted one too, unless its port was taken meanwhile.
        var summarized = output.Lines.Select(l => Summary().Match(l)).Where(m => m.Success).Select(m => m.Groups["id"].Value).ToList();
        var expected = Enumerable.Range(0, 3).Select(i => i.ToString(CultureInfo.InvariantCulture))
            .Where(i => i != id.ToString(CultureInfo.InvariantCulture) || !output.Lines.Any(l => l.Contains($"-- node {id} cannot listen", StringComparison.Ordinal)));
        Assert.True(expected.SequenceEqual(summarized), $"Expected the summary of nodes {string.Join(", ", expected)} at the end. Output:\n{output}");
    }

    /// <summary>From "-- node N stopped" to "-- restarting node N", no line says what node N did.</summary>
    private static void AssertQuietWhileStopped(LineWriter output, uint id)
    {
        var lines = output.Lines;
        var from = FindIndex(lines, $"-- node {id} stopped");
        var until = FindIndex(lines, $"-- restarting node {id} ");
        Assert.True(from >= 0 && until > from, $"Expected '-- node {id} stopped' and later '-- restarting node {id}'. Output:\n{output}");
        var own = new Regex($@"^\[\s*[0-9.]+ s\] node {id}( suspects | restores |: leader )");
        var late = lines.Skip(from + 1).Take(until - from - 1).Where(l => own.IsMatch(l)).ToList();
        Assert.True(late.Count == 0, $"Node {id} printed after the line that reported it stopped:\n{string.Join('\n', late)}\nOutput:\n{output}");
    }

    private static int FindIndex(IReadOnlyList<string> lines, string text)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Printed(LineWriter output, string text) => output.Lines.Any(l => l.EndsWith("] " + text, StringComparison.Ordinal));

    /// <summary>Moves the virtual clock on by one delta at a time until the condition holds; each wait lets the messages of the last timeout arrive.</summary>
    private static Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what, LineWriter output) =>
        Eventually.WaitAsync(() =>
        {
            if (condition())
            {
                return true;
            }

            time.Advance(Delta);
            return false;
        }, $"{what}. Output so far:\n{output}");

    [GeneratedRegex(@"\] -- node (?<id>[0-9]+) stopped \(the leader\)$")]
    private static partial Regex StopLine();

    [GeneratedRegex(@"\] node (?<id>[0-9]+): leader [^,]+, suspects \[")]
    private static partial Regex Summary();

    /// <summary>
    /// The nodes on the in-memory network. A host stops as a crashed process does (every stream to
    /// it breaks at once), and then takes <paramref name="shutdown"/> of the virtual clock to finish.
    /// </summary>
    private sealed class InMemoryHosting(FakeTimeProvider time, TimeSpan shutdown) : IDemoHosting
    {
        private readonly InMemoryNetwork _network = new();
        private int _next;

        public ITransport Transport => _network;

        public Task<IDemoHost> StartAsync(GorumsServer server, string? address, CancellationToken token)
        {
            address ??= $"node-{_next++}";
            _network.Listen(address, server);
            return Task.FromResult<IDemoHost>(new Host(this, address));
        }

        private sealed class Host(InMemoryHosting hosting, string address) : IDemoHost
        {
            public string Address => address;

            public ValueTask DisposeAsync()
            {
                hosting._network.Stop(address);
                hosting.Advance();
                return ValueTask.CompletedTask;
            }
        }

        /// <summary>One delta at a time: the virtual clock fires a timer at most once per advance.</summary>
        private void Advance()
        {
            for (var passed = TimeSpan.Zero; passed < shutdown; passed += Delta)
            {
                time.Advance(Delta);
            }
        }
    }
}
