using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage1;

/// <summary>Three storage servers over real gRPC on 127.0.0.1 (task 1.1 end to end).</summary>
public sealed class GrpcEndToEndTests : IAsyncLifetime
{
    private readonly GorumsGrpcHost?[] _hosts = new GorumsGrpcHost?[3];
    private readonly string[] _addresses = new string[3];
    private Manager? _manager;
    private StorageConfiguration? _client;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _hosts[i] = await GorumsGrpcHost.StartAsync(new GorumsServer().Register(new StorageServer()));
            _addresses[i] = _hosts[i]!.Address;
        }

        _manager = new Manager(new GrpcTransport(), new ManagerOptions { DefaultCallTimeout = TimeSpan.FromSeconds(60) });
        var configuration = _manager.NewConfiguration(_addresses);
        _client = new StorageConfiguration(configuration, new StorageQSpec(3));
    }

    public async Task DisposeAsync()
    {
        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }

    private async Task StopAsync(int i)
    {
        await _hosts[i]!.DisposeAsync();
        _hosts[i] = null;
    }

    [Fact]
    [Graded("1.1", 3)]
    public async Task Reads_and_writes_survive_one_stopped_node()
    {
        var client = _client!;
        await Eventually.WithinAsync(client.WriteAsync(new State { Value = "a", Timestamp = 1 }), "a write to 3 live nodes");
        await StopAsync(2);

        await Eventually.WithinAsync(client.WriteAsync(new State { Value = "b", Timestamp = 2 }), "a write with node 2 stopped");
        var read = await Eventually.WithinAsync(client.ReadAsync(new ReadRequest()), "a read with node 2 stopped");
        Assert.True(read.Value == "b" && read.Timestamp == 2, $"With one of three nodes stopped a quorum remains; the read must see the last write (b, 2), got ({read.Value}, {read.Timestamp}).");
    }

    [Fact]
    [Graded("1.1", 3)]
    public async Task Two_stopped_nodes_fail_the_call_as_Incomplete_before_its_deadline()
    {
        var client = _client!;
        await Eventually.WithinAsync(client.WriteAsync(new State { Value = "a", Timestamp = 1 }), "a write to 3 live nodes");
        await StopAsync(1);
        await StopAsync(2);

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(client.ReadAsync(new ReadRequest()), "a read with two of three nodes stopped"));
        Assert.True(error.Cause == QuorumCallError.Incomplete, $"Both stopped nodes fail at once, so the read must end Incomplete long before its 60 s deadline; it ended {error.Cause}.");
        Assert.True(error.NodeErrors.Keys.Order().SequenceEqual([1u, 2u]), $"The errors of nodes 1 and 2 must be reported; got nodes [{string.Join(", ", error.NodeErrors.Keys)}].");
    }

    [Fact]
    [Graded("1.1", 2)]
    public async Task A_restarted_node_is_used_again()
    {
        var client = _client!;
        await StopAsync(2);
        _hosts[2] = await GorumsGrpcHost.StartAsync(new GorumsServer().Register(new StorageServer()), _addresses[2]);
        var node = client.Configuration.GetNode(2);
        await Eventually.WaitAsync(() => node.State == LinkState.Ready, "the client to reconnect to the restarted node 2");

        var all = new StorageConfiguration(client.Configuration, new AllNodes());
        var result = await Eventually.WithinAsync(all.WriteAsync(new State { Value = "c", Timestamp = 3 }), "a write that needs all 3 nodes");
        Assert.True(result.New, "The restarted node must take the write.");
    }

    /// <summary>Writes need every node, so a write succeeds only when the restarted node answers.</summary>
    private sealed class AllNodes : IStorageQSpec
    {
        public (State? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, State> replies) => (null, false);

        public (WriteResponse? Result, bool Done) WriteQF(State request, IReadOnlyDictionary<uint, WriteResponse> replies) =>
            (new WriteResponse { New = replies.Values.All(r => r.New) }, replies.Count == 3);
    }
}
