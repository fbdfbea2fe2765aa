using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage3;

/// <summary>Nodes d0, d1, … with their detectors wired together over an in-memory network and one fake clock.</summary>
internal sealed class DetectorCluster : IAsyncDisposable
{
    public static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);

    public DetectorCluster(int n, IDeliveryScheduler? scheduler = null)
    {
        Network = new InMemoryNetwork(scheduler);
        var addresses = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => Address((uint)i));
        Nodes = [.. addresses.Keys.Select(id => new DetectorNode(id, addresses, Network, Time, new DetectorOptions { Delta = Delta, ClientName = Address(id) }))];
        foreach (var node in Nodes)
        {
            Network.Listen(Address(node.Id), new GorumsServer().Register(new WatchedHeartbeats(node.Id, node.Service, Failures)));
        }

        foreach (var node in Nodes)
        {
            node.Start();
        }
    }

    public FakeTimeProvider Time { get; } = new();

    public InMemoryNetwork Network { get; }

    public DetectorNode[] Nodes { get; }

    public Failures Failures { get; } = new();

    public static string Address(uint id) => $"d{id}";

    /// <summary>Moves the clock by <paramref name="span"/>; every node of <paramref name="running"/> must then have run <paramref name="number"/> timeouts.</summary>
    public void Advance(TimeSpan span, int number, params uint[] running)
    {
        Time.Advance(span);
        foreach (var id in running)
        {
            var ran = Nodes[id].FailureDetector.Timeouts;
            Assert.True(ran == number,
                $"Node {id} (delay {Nodes[id].FailureDetector.Delay.TotalMilliseconds} ms): after the clock moved {span.TotalMilliseconds} ms it must have run {number} timeout(s), it ran {ran}.");
        }
    }

    /// <summary>Waits until every node of <paramref name="at"/> has heard replies from every node of <paramref name="from"/> since its last timeout.</summary>
    public async Task RepliesAsync(uint[] at, uint[] from, string when)
    {
        try
        {
            await Eventually.WaitAsync(() =>
            {
                Failures.ThrowIfAny();
                return at.All(id => from.All(Nodes[id].FailureDetector.Alive.Contains));
            }, $"nodes {string.Join(", ", at)} to receive heartbeat replies from nodes {string.Join(", ", from)} {when}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Alive sets now: {string.Join("; ", at.Select(id => $"node {id} [{string.Join(", ", Nodes[id].FailureDetector.Alive)}]"))}.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}

/// <summary>Whole nodes: the failure detector heartbeats over the framework and drives the leader detector.</summary>
public sealed class DetectorNodeTests
{
    private static readonly TimeSpan Delta = DetectorCluster.Delta;

    private static string Show(IEnumerable<uint> ids) => "[" + string.Join(", ", ids) + "]";

    [Fact]
    [Graded("3.2", 3)]
    public async Task When_the_leader_crashes_every_other_node_ends_up_on_the_next_highest_id()
    {
        await using var cluster = new DetectorCluster(4);
        uint[] all = [0, 1, 2, 3], rest = [0, 1, 2];

        cluster.Advance(Delta, 1, all);
        await cluster.RepliesAsync(all, all, "after timeout #1");

        cluster.Network.Stop(DetectorCluster.Address(3)); // node 3, the leader, crashes
        cluster.Nodes[3].Stop();

        cluster.Advance(Delta, 2, rest);
        foreach (var id in rest)
        {
            Assert.True(cluster.Nodes[id].Leader == 3,
                $"Node {id}, timeout #2: node 3 replied before it crashed, so it is still trusted; the leader must stay 3, it is {cluster.Nodes[id].Leader}.");
        }

        await cluster.RepliesAsync(rest, rest, "after timeout #2");
        cluster.Advance(Delta, 3, rest);
        foreach (var id in rest)
        {
            var node = cluster.Nodes[id];
            Assert.True(node.FailureDetector.Suspected.SequenceEqual([3u]),
                $"Node {id}, timeout #3: node 3 has not replied since it crashed, so exactly node 3 is suspected; Suspected is {Show(node.FailureDetector.Suspected)}.");
            Assert.True(node.Leader == 2,
                $"Node {id}, timeout #3: with node 3 suspected the leader must be the next highest id, 2; it is {node.Leader}.");
            Assert.True(node.FailureDetector.Delay == Delta,
                $"Node {id}: no node was falsely suspected, so the delay stays {Delta.TotalMilliseconds} ms; it is {node.FailureDetector.Delay.TotalMilliseconds} ms.");
        }

        await cluster.RepliesAsync(rest, rest, "after timeout #3");
        cluster.Advance(Delta, 4, rest);
        foreach (var id in rest)
        {
            Assert.True(cluster.Nodes[id].Leader == 2 && cluster.Nodes[id].FailureDetector.Suspected.SequenceEqual([3u]),
                $"Node {id}, timeout #4: nothing changed, so the leader stays 2 and only node 3 is suspected; leader {cluster.Nodes[id].Leader}, Suspected {Show(cluster.Nodes[id].FailureDetector.Suspected)}.");
        }
    }

    [Fact]
    [Graded("3.2", 3)]
    public async Task A_delay_spike_causes_a_false_suspicion_that_is_corrected_and_the_delay_grows()
    {
        var spike = new SpikeScheduler();
        await using var cluster = new DetectorCluster(3, spike);
        uint[] all = [0, 1, 2], others = [0, 1];

        cluster.Advance(Delta, 1, all);
        await cluster.RepliesAsync(all, all, "after timeout #1");

        spike.Hold(DetectorCluster.Address(2)); // every message to or from node 2 is late from now on
        cluster.Advance(Delta, 2, all);
        await cluster.RepliesAsync(others, others, "after timeout #2");
        cluster.Advance(Delta, 3, all);
        foreach (var id in others)
        {
            var node = cluster.Nodes[id];
            Assert.True(node.FailureDetector.Suspected.SequenceEqual([2u]) && node.Leader == 1,
                $"Node {id}, timeout #3: node 2's replies are late, so node 2 is (falsely) suspected and the leader is 1; Suspected {Show(node.FailureDetector.Suspected)}, leader {node.Leader}.");
        }

        spike.Release(); // the late messages arrive
        await cluster.RepliesAsync(all, all, "after the delayed messages were delivered");
        cluster.Advance(Delta, 4, all);
        foreach (var id in all)
        {
            var node = cluster.Nodes[id];
            Assert.True(node.FailureDetector.Suspected.Count == 0 && node.Leader == 2,
                $"Node {id}, timeout #4: the late replies arrived, so every suspicion is corrected and node 2 leads again; Suspected {Show(node.FailureDetector.Suspected)}, leader {node.Leader}.");
            Assert.True(node.FailureDetector.Delay == 2 * Delta,
                $"Node {id}, timeout #4: it restored a node it had falsely suspected, so its delay must have grown from {Delta.TotalMilliseconds} to {2 * Delta.TotalMilliseconds} ms; it is {node.FailureDetector.Delay.TotalMilliseconds} ms.");
        }

        await cluster.RepliesAsync(all, all, "after timeout #4");
        cluster.Advance(Delta, 4, all); // the old delay: nothing may fire
        cluster.Advance(Delta, 5, all); // the new delay
    }
}
