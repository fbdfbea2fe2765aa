namespace PaxosLabs.Simulation;

/// <summary>
/// Protocol code left the simulator's thread, so the run is no longer a function of its seed.
/// The usual causes: <c>ConfigureAwait(false)</c>, <c>Task.Run</c>, a <c>Thread</c>, a real timer.
/// </summary>
public sealed class SimulationEscapeException(string message) : Exception(message);
