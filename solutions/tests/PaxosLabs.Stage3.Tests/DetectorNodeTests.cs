using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage3.Tests;

/// <summary>All four tasks together: three nodes heartbeat each other over the in-memory network.</summary>
[Trait("Stage", "3")]
public sealed class DetectorNodeTests : IAsyncDisposable
{
    private static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);
    private static readonly uint[] All = [0, 1, 2];

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryNetwork _network = new();
    private readonly DetectorNode[] _nodes;

    public DetectorNodeTests()
    {
        var addresses = All.ToDictionary(id => id, id => $"node-{id}");
        _nodes = [.. All.Select(id => new DetectorNode(id, addresses, _network, _time, new DetectorOptions { Delta = Delta }))];
        foreach (var node in _nodes)
        {
            _network.Listen(addresses[node.Id], new GorumsServer().Register(new Checked(node.Service, this)));
            node.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private Exception? _failure;

    private Task RepliesAsync(uint[] at, uint[] from) =>
        Eventually.WaitAsync(() =>
        {
            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw new InvalidOperationException($"A node failed to handle a heartbeat: {failure.Message}", failure);
            }

            return at.All(id => from.All(_nodes[id].FailureDetector.Alive.Contains));
        }, $"nodes {string.Join(", ", at)} to hear from nodes {string.Join(", ", from)}");

    /// <summary>Passes heartbeats to a node's service and keeps the first failure, so that a wait ends at once.</summary>
    private sealed class Checked(HeartbeatServer inner, DetectorNodeTests test) : HeartbeatsServerBase
    {
        public override async Task Beat(Heartbeat request, ServerContext context)
        {
            try
            {
                await inner.Beat(request, context);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref test._failure, e, null);
                throw;
            }
        }
    }

    [Fact]
    [Trait("Task", "3.2")]
    public async Task When_the_leader_stops_the_others_follow_the_next_highest_id()
    {
        _time.Advance(Delta); // timeout #1: everyone asks everyone
        await RepliesAsync(All, All);

        _network.Stop("node-2");
        _nodes[2].Stop();

        _time.Advance(Delta); // timeout #2: node 2 answered #1, so it is still trusted
        await RepliesAsync([0, 1], [0, 1]);
        _time.Advance(Delta); // timeout #3: node 2 is silent

        Assert.Equal(1, _nodes[0].Leader);
        Assert.Equal(1, _nodes[1].Leader);
    }
}
