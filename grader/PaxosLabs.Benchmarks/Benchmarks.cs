using BenchmarkDotNet.Attributes;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// Figure 1 (latency, one call in flight) and the gRPC allocation figure: one quorum read per
/// operation, against n servers on 127.0.0.1, for each contender. Bytes per operation count the
/// whole process: the client and the n in-process servers.
/// </summary>
[MemoryDiagnoser]
public class GrpcQuorumCall
{
    private Cluster? _cluster;
    private IQuorumReader? _framework;
    private IQuorumReader? _stream;
    private IQuorumReader? _unary;

    [Params(3, 5, 9)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cluster = Cluster.StartAsync(N).GetAwaiter().GetResult();
        _framework = Readers.ConnectAsync(Contender.Framework, _cluster).GetAwaiter().GetResult();
        _stream = Readers.ConnectAsync(Contender.HandWrittenStream, _cluster).GetAwaiter().GetResult();
        _unary = Readers.ConnectAsync(Contender.UnaryFanout, _cluster).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _framework?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _unary?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<State> Framework() => _framework!.ReadAsync();

    [Benchmark(Baseline = true)]
    public Task<State> HandWrittenStream() => _stream!.ReadAsync();

    [Benchmark]
    public Task<State> UnaryFanout() => _unary!.ReadAsync();
}

/// <summary>
/// The allocation figure without gRPC: quorum calls over the in-memory transport (no delivery
/// scheduler: each message is handed over at once), so the bytes are the framework's own, client
/// and servers (GorumsServer sessions) together.
/// </summary>
[MemoryDiagnoser]
public class InMemoryQuorumCall
{
    private static readonly State Written = new() { Value = "benchmark-value-0123456789abcdef" };
    private Manager? _manager;
    private StorageConfiguration? _client;
    private long _timestamp;

    [Params(3, 5, 9)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var network = new InMemoryNetwork();
        for (var i = 0; i < N; i++)
        {
            var storage = new StorageServer();
            storage.Write(Cluster.InitialState, null!).GetAwaiter().GetResult();
            network.Listen($"s{i}", new GorumsServer().Register(storage));
        }

        _manager = new Manager(network);
        _client = new StorageConfiguration(_manager.NewConfiguration(Enumerable.Range(0, N).Select(i => $"s{i}")), new StorageQSpec(N));
        _timestamp = Cluster.InitialState.Timestamp;
    }

    [GlobalCleanup]
    public void Cleanup() => _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A read: an empty request, each server answers with its state.</summary>
    [Benchmark]
    public Task<State> Read() => _client!.ReadAsync(new ReadRequest());

    /// <summary>A write with a 32-character value: each server takes it (newer timestamp) and acknowledges.</summary>
    [Benchmark]
    public Task<WriteResponse> Write() => _client!.WriteAsync(new State { Value = Written.Value, Timestamp = ++_timestamp });
}
