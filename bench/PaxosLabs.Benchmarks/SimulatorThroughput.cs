using System.Diagnostics;
using PaxosLabs.Gorums;
using PaxosLabs.Simulation;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

internal sealed record SimRun(long Steps, long TraceEvents, TimeSpan Elapsed)
{
    public double StepsPerSecond => Steps / Elapsed.TotalSeconds;

    public double EventsPerSecond => TraceEvents / Elapsed.TotalSeconds;
}

internal sealed record SimRow(string Workload, int Writes, long Steps, long TraceEvents, Spread StepsPerSecond, Spread EventsPerSecond, Spread Seconds);

/// <summary>
/// Figure 4: the simulator's event rate on the storage workload of the simulator's own tests
/// (StorageWorld: three storage nodes and a client on a reliable network with 1–5 ms delays),
/// the client writing timestamps 1..W one after another and then reading. Only
/// <see cref="Simulator.RunUntil"/> is timed; building the world is not.
/// </summary>
internal static class SimulatorThroughput
{
    public static List<SimRow> Run(Settings settings)
    {
        var rows = new List<SimRow>();
        foreach (var capture in new[] { false, true })
        {
            RunOnce(Math.Max(200, settings.SimWrites / 10), capture); // warm-up: jit, tiering
            var runs = new List<SimRun>();
            for (var rep = 0; rep < settings.SimRepetitions; rep++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var run = RunOnce(settings.SimWrites, capture);
                runs.Add(run);
                Console.WriteLine($"  simulator capture-states={capture} rep {rep + 1}/{settings.SimRepetitions}: {run.Steps} steps, {run.TraceEvents} events in {run.Elapsed.TotalMilliseconds:F0} ms: {run.StepsPerSecond:F0} steps/s, {run.EventsPerSecond:F0} events/s");
            }

            if (runs.Select(r => (r.Steps, r.TraceEvents)).Distinct().Count() != 1)
            {
                throw new InvalidOperationException("The same seed gave different runs: the simulator is not deterministic here.");
            }

            rows.Add(new SimRow(
                capture ? "3 storage nodes + client, CaptureStates = true (as the HTML trace needs)" : "3 storage nodes + client, CaptureStates = false (default)",
                settings.SimWrites,
                runs[0].Steps,
                runs[0].TraceEvents,
                Spread.Of(runs.Select(r => r.StepsPerSecond)),
                Spread.Of(runs.Select(r => r.EventsPerSecond)),
                Spread.Of(runs.Select(r => r.Elapsed.TotalSeconds))));
        }

        return rows;
    }

    private static SimRun RunOnce(int writes, bool captureStates)
    {
        var sim = new Simulator(new SimulationOptions { Seed = 42, Faults = FaultProfile.None, CaptureStates = captureStates });
        for (uint i = 0; i < 3; i++)
        {
            sim.AddNode($"s{i}", i, _ =>
            {
                var server = new StorageServer();
                return new SimProcess([server], server, () => $"ts={server.State.Timestamp}");
            });
        }

        sim.AddNode("c", 99, env =>
        {
            var manager = new Manager(env.Network, env.ManagerOptions(TimeSpan.FromSeconds(1)));
            var configuration = manager.NewConfiguration(Enumerable.Range(0, 3).Select(i => KeyValuePair.Create((uint)i, $"s{i}")));
            return new SimProcess([], new StorageConfiguration(configuration, new StorageQSpec(3)));
        });

        var client = sim["c"].Get<StorageConfiguration>();
        var work = sim.InvokeAsync("c", async () =>
        {
            for (var ts = 1; ts <= writes; ts++)
            {
                await client.WriteAsync(new State { Value = $"v{ts}", Timestamp = ts });
            }

            return await client.ReadAsync(new ReadRequest());
        }, "write then read");

        var stepsBefore = sim.Steps;
        var eventsBefore = sim.Trace.Events.Count;
        var started = Stopwatch.GetTimestamp();
        sim.RunUntil(() => work.IsCompleted, maxSteps: 1_000_000_000);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var last = work.GetAwaiter().GetResult();
        if (last.Timestamp != writes)
        {
            throw new InvalidOperationException($"The simulated workload read timestamp {last.Timestamp}, expected {writes}.");
        }

        return new SimRun(sim.Steps - stepsBefore, sim.Trace.Events.Count - eventsBefore, elapsed);
    }
}
