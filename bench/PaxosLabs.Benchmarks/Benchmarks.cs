using BenchmarkDotNet.Attributes;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// Figure 1 (latency, one call in flight) and the gRPC allocation figure: one quorum read per
/// operation, against n servers on 127.0.0.1, for each contender. Bytes per operation count the
/// whole process: the client and the n in-process servers. Each case starts its own cluster and
/// warms its contender up as the closed loop does (<see cref="ClosedLoop.WarmUpAsync"/>) before
/// BenchmarkDotNet's own warm-up: a few seconds of BenchmarkDotNet warm-up end while tiered
/// compilation is still at work, which made whichever case ran first look slow.
/// An operation is one read, awaited as a program awaits its calls: each invocation awaits
/// <see cref="ReadsPerInvoke"/> reads in turn, so BenchmarkDotNet's thread blocks once per
/// invocation, not once per read. A thread blocked on every read adds a wake-up to each and favours
/// a result completed straight from a stream's reader (the hand-written stream's) over one computed
/// in an awaiting method (the framework's quorum call).
/// </summary>
[MemoryDiagnoser]
public class GrpcQuorumCall
{
    private Cluster? _cluster;
    private IQuorumReader? _reader;

    /// <summary>The warm-up's settings (the suite's, set before BenchmarkDotNet runs this class in process).</summary>
    internal static Settings WarmUpSettings { get; set; } = new(Quick: false);

    [Params(3, 5, 9)]
    public int N { get; set; }

    [GlobalSetup(Target = nameof(Framework))]
    public void SetupFramework() => Setup(Contender.Framework);

    [GlobalSetup(Target = nameof(HandWrittenStream))]
    public void SetupHandWrittenStream() => Setup(Contender.HandWrittenStream);

    [GlobalSetup(Target = nameof(UnaryFanout))]
    public void SetupUnaryFanout() => Setup(Contender.UnaryFanout);

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _reader = null;
        _cluster = null;
    }

    /// <summary>Reads per invocation, awaited one after another (one call in flight).</summary>
    public const int ReadsPerInvoke = 32;

    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public Task Framework() => ReadInTurnAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadsPerInvoke)]
    public Task HandWrittenStream() => ReadInTurnAsync();

    [Benchmark(OperationsPerInvoke = ReadsPerInvoke)]
    public Task UnaryFanout() => ReadInTurnAsync();

    private async Task ReadInTurnAsync()
    {
        for (var i = 0; i < ReadsPerInvoke; i++)
        {
            await _reader!.ReadAsync();
        }
    }

    private void Setup(Contender contender)
    {
        _cluster = Cluster.StartAsync(N).GetAwaiter().GetResult();
        _reader = Readers.ConnectAsync(contender, _cluster).GetAwaiter().GetResult();
        var warm = ClosedLoop.WarmUpAsync([_reader.ReadAsync], WarmUpSettings).GetAwaiter().GetResult();
        Console.WriteLine($"  n={N} {Readers.Label(contender)}: {warm}");
    }
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
