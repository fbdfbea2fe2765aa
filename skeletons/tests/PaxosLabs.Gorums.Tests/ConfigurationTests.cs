using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Gorums.Tests;

/// <summary>Configurations: construction, validation of bad input, and set operations.</summary>
public sealed class ConfigurationTests : IAsyncDisposable
{
    private readonly Manager _manager = new(new InMemoryNetwork());

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    private static Dictionary<uint, string> Nodes(params uint[] ids) => ids.ToDictionary(id => id, id => $"node-{id}");

    [Fact]
    public void An_empty_configuration_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _manager.NewConfiguration(new Dictionary<uint, string>()));
        Assert.Contains("at least one node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_addresses_are_rejected_naming_the_address()
    {
        var error = Assert.Throws<ArgumentException>(() => _manager.NewConfiguration(new Dictionary<uint, string> { [1] = "a", [2] = "a" }));
        Assert.Contains("Duplicate address a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_are_rejected_naming_the_id()
    {
        var error = Assert.Throws<ArgumentException>(() => _manager.NewConfiguration([KeyValuePair.Create(3u, "a"), KeyValuePair.Create(3u, "b")]));
        Assert.Contains("Duplicate node id 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void Malformed_in_memory_addresses_are_rejected(string address)
    {
        Assert.Throws<ArgumentException>(() => _manager.NewConfiguration(new Dictionary<uint, string> { [1] = address }));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:notaport")]
    [InlineData("ftp://127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/path")]
    public async Task Malformed_grpc_addresses_are_rejected_naming_the_address(string address)
    {
        await using var manager = new Manager(new GrpcTransport());
        var error = Assert.Throws<ArgumentException>(() => manager.NewConfiguration(new Dictionary<uint, string> { [1] = address }));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_id_must_keep_its_address()
    {
        _manager.NewConfiguration(Nodes(1));
        var error = Assert.Throws<ArgumentException>(() => _manager.NewConfiguration(new Dictionary<uint, string> { [1] = "elsewhere" }));
        Assert.Contains("Node 1 is already known at node-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_are_sorted_by_id_and_shared_between_configurations()
    {
        var first = _manager.NewConfiguration(Nodes(3, 1, 2));
        var second = _manager.NewConfiguration(Nodes(2, 4));

        Assert.Equal([1u, 2u, 3u], first.NodeIds);
        Assert.Same(first.GetNode(2), second.GetNode(2));
    }

    [Fact]
    public void Set_operations_build_new_configurations()
    {
        var abc = _manager.NewConfiguration(Nodes(1, 2, 3));
        var cd = _manager.NewConfiguration(Nodes(3, 4));

        Assert.Equal([1u, 2u, 3u, 4u], abc.Union(cd).NodeIds);
        Assert.Equal([1u, 2u], abc.Except(cd).NodeIds);
        Assert.Equal([1u, 2u, 3u, 4u], abc.With(4).NodeIds);
        Assert.Equal([1u, 3u], abc.Without(2).NodeIds);
        Assert.Equal([1u, 2u, 3u], abc.NodeIds);
    }

    [Fact]
    public void Unknown_node_ids_are_rejected_naming_the_id()
    {
        var abc = _manager.NewConfiguration(Nodes(1, 2, 3));

        Assert.Contains("Unknown node id 9", Assert.Throws<ArgumentException>(() => abc.With(9)).Message, StringComparison.Ordinal);
        Assert.Contains("Node 9 is not in this configuration", Assert.Throws<ArgumentException>(() => abc.Without(9)).Message, StringComparison.Ordinal);
        Assert.Contains("Node 9 is not in this configuration", Assert.Throws<ArgumentException>(() => abc.GetNode(9)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => abc.Without(1, 2, 3));
    }

    [Fact]
    public void Configurations_of_different_managers_do_not_mix()
    {
        var mine = _manager.NewConfiguration(Nodes(1));
        var theirs = new Manager(new InMemoryNetwork()).NewConfiguration(Nodes(1));
        Assert.Throws<ArgumentException>(() => mine.Union(theirs));
    }

    [Fact]
    public void WithoutFailed_drops_the_nodes_that_failed_in_a_call()
    {
        var abc = _manager.NewConfiguration(Nodes(1, 2, 3));
        var failure = new QuorumCallException(QuorumCallError.Incomplete, 1, new Dictionary<uint, Exception> { [2] = new IOException("down") });
        Assert.Equal([1u, 3u], abc.WithoutFailed(failure).NodeIds);
    }

    [Fact]
    public void Manager_options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new Manager(new InMemoryNetwork(), new ManagerOptions { DefaultCallTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new GrpcTransport(new GrpcTransportOptions { DialTimeout = TimeSpan.Zero }));
    }
}
