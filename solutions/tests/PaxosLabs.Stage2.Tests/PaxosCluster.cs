using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.SinglePaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage2.Tests;

/// <summary>N Paxos nodes, ids 0..n−1 at "node-0", "node-1", …, on one in-memory network, on a fake clock.</summary>
internal sealed class PaxosCluster : IAsyncDisposable
{
    private readonly FakeTimeProvider _time;
    private readonly PaxosNode[] _nodes;

    public PaxosCluster(int n, FakeTimeProvider time)
    {
        _time = time;
        var addresses = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => $"node-{i}");
        _nodes = new PaxosNode[n];
        for (uint id = 0; id < n; id++)
        {
            _nodes[id] = new PaxosNode(id, addresses, Network, new PaxosNodeOptions
            {
                TimeProvider = time,
                Random = new Random(17 + (int)id),
                CallTimeout = null, // in memory, every request is answered or fails
                MinBackoff = TimeSpan.FromMilliseconds(1),
                MaxBackoff = TimeSpan.FromMilliseconds(50),
            });
            Network.Listen(addresses[id], new GorumsServer().Register(_nodes[id].Service));
        }
    }

    public InMemoryNetwork Network { get; } = new();

    public PaxosNode this[uint id] => _nodes[id];

    /// <summary>Waits for <paramref name="task"/>, moving the fake clock on so that backoffs end.</summary>
    public async Task<T> RunAsync<T>(Task<T> task, string what)
    {
        await Eventually.WaitAsync(() =>
        {
            if (!task.IsCompleted)
            {
                _time.Advance(TimeSpan.FromMilliseconds(10));
            }

            return task.IsCompleted;
        }, what);
        return await task;
    }

    /// <summary>Waits until every node has decided <paramref name="value"/>.</summary>
    public Task WaitForDecisionsAsync(string value) =>
        Eventually.WaitAsync(() => _nodes.All(n => n.Decided == value), $"every node to decide \"{value}\" (now: {string.Join(", ", _nodes.Select(n => $"{n.Id}={n.Decided ?? "none"}"))})");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
