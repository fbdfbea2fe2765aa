using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Generator.Tests.Sample;

namespace PaxosLabs.Generator.Tests.EndToEnd;

/// <summary>
/// Servers of the generated Sample and Events services on an in-memory network, node ids 0..n−1,
/// and a manager with a configuration of all of them.
/// </summary>
internal sealed class SampleCluster : IAsyncDisposable
{
    public SampleCluster(int n = 3)
    {
        Servers = [.. Enumerable.Range(0, n).Select(i => new SampleServer((uint)i))];
        EventServers = [.. Enumerable.Range(0, n).Select(_ => new EventsServer())];
        for (var i = 0; i < n; i++)
        {
            Network.Listen(Address(i), new GorumsServer().Register(Servers[i]).Register(EventServers[i]));
        }

        Manager = new Manager(Network);
        Configuration = Manager.NewConfiguration(Enumerable.Range(0, n).ToDictionary(i => (uint)i, Address));
    }

    public InMemoryNetwork Network { get; } = new();

    public IReadOnlyList<SampleServer> Servers { get; }

    public IReadOnlyList<EventsServer> EventServers { get; }

    public Manager Manager { get; }

    public Configuration Configuration { get; }

    public SampleConfiguration Client(int quorum, TimeSpan? timeout = null) =>
        new(Configuration, new SampleQSpec(quorum)) { Timeout = timeout };

    /// <summary>
    /// Waits until every server has handled what was sent to it before: a read from all nodes
    /// returns only after each node's earlier messages, because each node's stream is FIFO.
    /// </summary>
    public Task BarrierAsync() => Client(Servers.Count).ReadAsync(new ReadRequest { Key = "barrier" });

    public ValueTask DisposeAsync() => Manager.DisposeAsync();

    private static string Address(int id) => $"node-{id}";
}
