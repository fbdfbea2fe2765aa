using System.Runtime.ExceptionServices;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Simulation;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.Simulation.Tests;

public class DeterminismTests
{
    private static string RunAndHash(long seed, FaultProfile faults)
    {
        var world = new StorageWorld(seed, faults);
        var read = world.WriteThenRead(20);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 1_000_000), $"seed {seed}: the workload did not finish within the step budget");
        return world.Sim.Trace.Hash();
    }

    [Fact]
    public void The_same_seed_gives_the_same_trace()
    {
        Assert.Equal(RunAndHash(42, FaultProfile.Lossy), RunAndHash(42, FaultProfile.Lossy));
    }

    [Fact]
    public void Different_seeds_give_different_traces()
    {
        Assert.NotEqual(RunAndHash(1, FaultProfile.Lossy), RunAndHash(2, FaultProfile.Lossy));
    }

    [Fact]
    public async Task A_reliable_run_completes_the_workload_in_virtual_time()
    {
        var world = new StorageWorld(7);
        var read = world.WriteThenRead(5);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 100_000));
        Assert.Equal(5, (await read).Timestamp);
        Assert.True(world.Sim.Now < TimeSpan.FromSeconds(1), $"five writes and a read over a 1–5 ms network took {world.Sim.Now} of virtual time");
    }

    [Fact]
    public async Task Code_that_leaves_the_simulator_thread_is_caught_with_its_cause()
    {
        var world = new StorageWorld(3, service: () => new EscapingStorage());
        var read = world.Sim.InvokeAsync("c", () => world.Client.ReadAsync(new ReadRequest(), CancellationToken.None));

        // The escaped continuations run on the thread pool whenever it gets to them; wait for one.
        var threw = false;
        await Eventually.WaitAsync(() =>
        {
            try
            {
                world.Sim.RunUntil(() => read.IsCompleted, 100_000);
            }
            catch (SimulationEscapeException error)
            {
                Assert.Contains("ConfigureAwait(false)", error.Message, StringComparison.Ordinal);
                threw = true;
            }

            // A TODO stub of the quorum call fails the test at once, as itself (the escape is never reached).
            if (!threw && read.Exception?.InnerException is NotImplementedException stub)
            {
                ExceptionDispatchInfo.Throw(stub);
            }

            return threw;
        }, "the simulator to notice the handler that hopped to the thread pool");
    }

    /// <summary>A handler that hops to the thread pool, as ConfigureAwait(false) or Task.Run would.</summary>
    private sealed class EscapingStorage : StorageServerBase
    {
        public override async Task<State> Read(ReadRequest request, ServerContext context)
        {
            await Task.Run(() => { });
            return new State();
        }

        public override async Task<WriteResponse> Write(State request, ServerContext context)
        {
            await Task.Run(() => { }).ConfigureAwait(false);
            return new WriteResponse { New = true };
        }

        public override Task WriteAll(State request, ServerContext context) => Task.CompletedTask;
    }
}
