using System.Diagnostics;
using System.Globalization;
using PaxosLabs.Gorums;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Node;

/// <summary>
/// A closed-loop key-value workload for the <c>client load</c> and <c>cluster</c> commands: each of
/// <c>clients</c> workers has its own <see cref="KvClient"/> (its own client id, so its own
/// exactly-once session) and issues the next operation when the previous one has completed. The
/// mix is half puts, a quarter appends and a quarter gets, on keys <c>key-0</c> … <c>key-(keys-1)</c>.
/// Every completed operation's latency is recorded.
/// </summary>
internal sealed class Workload
{
    private readonly MultiPaxosConfiguration _replicas;
    private readonly string _clientId;
    private readonly int _keys;
    private readonly TimeSpan _deadline;
    private readonly KvClientMode _mode;
    private readonly List<long>[] _latencies;
    private readonly Lock _gate = new();
    private long _done;
    private long _failed;
    private long _start;
    private long _end;

    /// <param name="clientId">The workers' ids are <c>clientId-0</c>, <c>clientId-1</c>, …</param>
    /// <param name="deadline">How long one operation may take, retries included.</param>
    /// <param name="mode">Where each worker sends its requests: every replica, or leader-direct.</param>
    public Workload(MultiPaxosConfiguration replicas, string clientId, int clients, int keys, TimeSpan deadline, KvClientMode mode = KvClientMode.AllReplicas)
    {
        _mode = mode;
        _replicas = replicas;
        _clientId = clientId;
        _keys = keys;
        _deadline = deadline;
        _latencies = [.. Enumerable.Range(0, clients).Select(_ => new List<long>())];
    }

    public long Done => Interlocked.Read(ref _done);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first failure's message, if any operation failed.</summary>
    public string? FirstError { get; private set; }

    /// <summary>From the start of <see cref="RunAsync"/> to its end (or to now while it runs).</summary>
    public TimeSpan Elapsed => _start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_start, _end == 0 ? Stopwatch.GetTimestamp() : _end);

    /// <summary>
    /// Runs <paramref name="totalOps"/> operations (spread over the workers), or until
    /// <paramref name="token"/> is cancelled when null. With <paramref name="stopOnFailure"/>, the
    /// first operation that fails (its deadline passed) stops every worker.
    /// </summary>
    public async Task RunAsync(long? totalOps, bool stopOnFailure, CancellationToken token)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clients = _latencies.Length;
        _start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(i =>
        {
            long? ops = totalOps is { } total ? total / clients + (i < total % clients ? 1 : 0) : null;
            return Task.Run(() => WorkAsync(i, ops, stopOnFailure, stop), CancellationToken.None);
        }).ToList();
        await Task.WhenAll(workers);
        _end = Stopwatch.GetTimestamp();
    }

    private async Task WorkAsync(int worker, long? ops, bool stopOnFailure, CancellationTokenSource stop)
    {
        var kv = new KvClient($"{_clientId}-{worker}", _replicas, new KvClientOptions { Deadline = _deadline, Mode = _mode });
        var random = new Random(worker);
        var latencies = _latencies[worker];
        for (long n = 0; (ops is null || n < ops) && !stop.IsCancellationRequested; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"key-{random.Next(_keys)}");
            var kind = random.Next(4);
            var started = Stopwatch.GetTimestamp();
            try
            {
                _ = kind switch
                {
                    0 or 1 => await kv.PutAsync(key, string.Create(CultureInfo.InvariantCulture, $"{kv.ClientId}.{n}"), stop.Token),
                    2 => await kv.AppendAsync(key, string.Create(CultureInfo.InvariantCulture, $"+{n}"), stop.Token),
                    _ => await kv.GetAsync(key, stop.Token),
                };
                var latency = Stopwatch.GetTimestamp() - started;
                lock (_gate)
                {
                    latencies.Add(latency);
                }

                Interlocked.Increment(ref _done);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return; // stopped: the operation in flight does not count
            }
#pragma warning disable CA1031 // any failure of an operation is reported in the summary, never as a crash
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failed);
                lock (_gate)
                {
                    FirstError ??= Describe(e, _deadline);
                }

                if (stopOnFailure)
                {
                    await stop.CancelAsync();
                    return;
                }
            }
        }
    }

    /// <summary>A one-line reason for a failed operation.</summary>
    public static string Describe(Exception e, TimeSpan deadline) => e switch
    {
        TimeoutException or OperationCanceledException or QuorumCallException =>
            $"no quorum of replicas completed an operation within its deadline ({deadline.TotalSeconds:0.###} s)",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>"1234 ops in 2.00 s: 617 ops/s; latency p50 … max …".</summary>
    public string Summary()
    {
        long[] all;
        lock (_gate)
        {
            all = [.. _latencies.SelectMany(l => l)];
        }

        Array.Sort(all);
        var elapsed = Elapsed;
        var rate = elapsed > TimeSpan.Zero ? Done / elapsed.TotalSeconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{Done} ops in {elapsed.TotalSeconds:0.00} s: {rate:0} ops/s, {Failed} failed");
        if (all.Length > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $"; latency p50 {Ms(Percentile(all, 0.50))} ms, p90 {Ms(Percentile(all, 0.90))} ms, p99 {Ms(Percentile(all, 0.99))} ms, max {Ms(all[^1])} ms");
        }

        return text;
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.00", CultureInfo.InvariantCulture);
}
