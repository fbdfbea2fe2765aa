using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Simulation;
using PaxosLabs.Storage;

namespace PaxosLabs.Simulation.Tests;

/// <summary>Three storage nodes and a client node in a simulation: a small world to test the simulator on.</summary>
internal sealed class StorageWorld
{
    public StorageWorld(long seed, FaultProfile? faults = null, Func<IGorumsService>? service = null)
    {
        Sim = new Simulator(new SimulationOptions { Seed = seed, Faults = faults ?? FaultProfile.None, CaptureStates = true });
        for (uint i = 0; i < 3; i++)
        {
            Sim.AddNode($"s{i}", i, _ =>
            {
                var server = service?.Invoke() ?? new StorageServer();
                return new SimProcess([server], server, () => server is StorageServer s ? $"ts={s.State.Timestamp}" : "");
            });
        }

        Sim.AddNode("c", 99, env =>
        {
            var manager = new Manager(env.Network, env.ManagerOptions(TimeSpan.FromSeconds(1)));
            var configuration = manager.NewConfiguration(Enumerable.Range(0, 3).Select(i => KeyValuePair.Create((uint)i, $"s{i}")));
            var client = new StorageConfiguration(configuration, new StorageQSpec(3));
            return new SimProcess([], client);
        });
    }

    public Simulator Sim { get; }

    public StorageConfiguration Client => Sim["c"].Get<StorageConfiguration>();

    /// <summary>Writes timestamps 1..count one after another from the client, then reads.</summary>
    public Task<State> WriteThenRead(int count) => Sim.InvokeAsync("c", async () =>
    {
        for (var ts = 1; ts <= count; ts++)
        {
            try
            {
                await Client.WriteAsync(new State { Value = $"v{ts}", Timestamp = ts });
            }
            catch (QuorumCallException)
            {
                // a lossy network may fail a call; the next one goes on
            }
        }

        return await Client.ReadAsync(new ReadRequest());
    }, "write then read");
}
