using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// The given <see cref="ReplicaProcess"/>, which wires a replica to its detectors for the node, the
/// benchmarks and the simulator: it follows the leader, reports leader changes, and a background
/// loop that fails is reported when it fails, never at shutdown.
/// </summary>
[Trait("Stage", "4")]
public sealed class ReplicaProcessTests
{
    private static readonly Dictionary<uint, string> Nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2" };

    private readonly InMemoryNetwork _network = new();

    /// <summary>Time stands still unless a test moves it, and the failure detector never times out on its own.</summary>
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task The_replica_follows_its_leader_detector_and_every_change_is_reported_once()
    {
        var changes = new List<(long Before, long After)>();
        await using var process = Start(leaderChanged: (before, after) =>
        {
            lock (changes)
            {
                changes.Add((before, after));
            }
        });

        Assert.Equal(2, process.Replica.Leader);
        process.Detector.LeaderDetector.Suspect(2);
        await Eventually.WaitAsync(() => process.Replica.Leader == 1, "replica r0 to follow its leader detector from r2 to r1");
        await Eventually.WaitAsync(() => Count(changes) == 2, "the change from r2 to r1 to be reported");
        lock (changes)
        {
            Assert.Equal([(LeaderDetector.NoLeader, 2L), (2L, 1L)], changes);
        }

        Assert.Null(process.Failure);
    }

    [Fact]
    public async Task A_catch_up_loop_that_fails_is_reported_when_it_fails_and_shutdown_still_succeeds()
    {
        var reported = new List<ReplicaLoopException>();
        var process = Start(failed: failure =>
        {
            lock (reported)
            {
                reported.Add(failure);
            }
        });

        // A decision above a gap keeps catch-up busy: slot 2 waits for slot 1, which nobody sends.
        await using (var committer = new Manager(_network, new ManagerOptions { ClientName = "committer" }))
        {
            var toReplica = new MultiPaxosConfiguration(committer.NewConfiguration([KeyValuePair.Create(0u, "r0")]), new PaxosQSpec(Nodes.Count));
            await toReplica.CommitAsync(new LearnMsg { Slot = 2, Rnd = 1, Val = new Value { ClientId = "c", ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = "v" } } });
            await Eventually.WaitAsync(() => process.Replica.State.Buffered == 1, "replica r0 to hold the decision of slot 2 (slot 1 is missing), so that it catches up");
        }

        // A fault to make the catch-up loop fail: a leader the configuration does not have.
        process.Replica.OnLeaderChange(7);
        _time.Advance(new ReplicaOptions().CatchUpInterval);
        await Eventually.WaitAsync(() => Count(reported) > 0, "the catch-up loop's failure to be reported");

        var failure = Assert.Single(reported);
        Assert.Equal("catch-up", failure.Loop);
        Assert.Equal(0u, failure.Replica);
        Assert.Same(failure, process.Failure);
        Assert.Contains("replica 0: its catch-up loop failed: ArgumentException", failure.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(failure.InnerException);

        // Reported once, when it happened: stopping the replica is no place to fail again.
        var shutdown = await Record.ExceptionAsync(async () => await process.DisposeAsync());
        Assert.Null(shutdown);
        Assert.Single(reported);
    }

    [Fact]
    public async Task Disposing_disposes_the_attached_host_once()
    {
        var host = new CountingHost();
        var process = Start();
        process.AttachHost(host);
        Assert.Throws<InvalidOperationException>(() => process.AttachHost(new CountingHost()));

        await process.DisposeAsync();
        await process.DisposeAsync();
        Assert.Equal(1, host.Disposals);
        Assert.Throws<ObjectDisposedException>(process.Start);
    }

    private ReplicaProcess Start(Action<long, long>? leaderChanged = null, Action<ReplicaLoopException>? failed = null)
    {
        var process = new ReplicaProcess(0, Nodes, _network, "r0", new ReplicaOptions { TimeProvider = _time }, new DetectorOptions { Delta = TimeSpan.FromHours(1) })
        {
            LeaderChanged = leaderChanged,
            Failed = failed,
        };
        _network.Listen("r0", process.Server);
        process.Start();
        return process;
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private sealed class CountingHost : IAsyncDisposable
    {
        public int Disposals { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return ValueTask.CompletedTask;
        }
    }
}
