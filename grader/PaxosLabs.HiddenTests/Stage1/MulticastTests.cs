using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage1;

/// <summary>Multicast (task 1.3) and FIFO order per sender.</summary>
public sealed class MulticastTests : IAsyncDisposable
{
    private readonly InMemoryCluster<ProbeStorage> _cluster = new(5, id => new ProbeStorage(id));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    [Graded("1.3", 2)]
    public async Task A_multicast_reaches_every_node()
    {
        var client = new StorageConfiguration(_cluster.Configuration, new StorageQSpec(5));
        await client.WriteAllAsync(new State { Value = "x", Timestamp = 42 });

        foreach (var id in new uint[] { 0, 1, 2, 3, 4 })
        {
            await Eventually.WaitAsync(() => _cluster[id].Arrivals.Contains(42), $"node {id} to receive the multicast (timestamp 42)");
        }
    }

    [Fact]
    [Graded("1.3", 1)]
    public async Task A_multicast_sends_each_node_its_own_message_and_skips_null_ones()
    {
        await Gorums.OneWay.MulticastAsync(_cluster.Configuration, StorageMethods.WriteAll, new State { Timestamp = 100 },
            (request, id) => id == 3 ? null : new State { Timestamp = request.Timestamp + id });
        var probe = new StorageConfiguration(_cluster.Configuration, new StorageQSpec(5));
        await Eventually.WithinAsync(probe.WriteAsync(new State { Timestamp = 1 }), "a write after the multicast");

        foreach (var id in new uint[] { 0, 1, 2, 4 })
        {
            await Eventually.WaitAsync(() => _cluster[id].Arrivals.Contains(100 + id), $"node {id} to receive its own message (timestamp {100 + id})");
        }

        await Eventually.WaitAsync(() => _cluster[3].Arrivals.Contains(1), "node 3 to receive the write");
        Assert.True(_cluster[3].Arrivals.SequenceEqual([1]), $"Node 3's message was null, so it must be skipped, but node 3 handled [{string.Join(", ", _cluster[3].Arrivals)}].");
    }

    [Fact]
    [Graded("1.3", 2)]
    public async Task Messages_from_one_sender_are_handled_in_send_order_across_call_types()
    {
        var client = new StorageConfiguration(_cluster.Configuration, new StorageQSpec(5));
        var writes = new List<Task>();
        for (var ts = 1; ts <= 20; ts++)
        {
            var state = new State { Value = $"v{ts}", Timestamp = ts };
            writes.Add(ts % 2 == 1 ? client.WriteAllAsync(state) : client.WriteAsync(state));
        }

        await Eventually.WithinAsync(Task.WhenAll(writes), "20 interleaved multicasts and quorum writes");
        foreach (var id in new uint[] { 0, 1, 2, 3, 4 })
        {
            await Eventually.WaitAsync(() => _cluster[id].Arrivals.Count == 20, $"node {id} to handle all 20 messages");
            Assert.True(_cluster[id].Arrivals.SequenceEqual(Enumerable.Range(1, 20).Select(i => (long)i)),
                $"Node {id} handled the messages in the order [{string.Join(", ", _cluster[id].Arrivals)}]; one sender's messages must be handled in send order (1..20), whatever the call type.");
        }
    }
}
