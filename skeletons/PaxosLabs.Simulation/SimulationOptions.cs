namespace PaxosLabs.Simulation;

/// <summary>What a run is a function of: the seed and the fault profile (and the code).</summary>
public sealed record SimulationOptions
{
    public long Seed { get; init; }

    public FaultProfile Faults { get; init; } = FaultProfile.None;

    /// <summary>Record each node's state (from <see cref="SimProcess.Describe"/>) after its steps, for the HTML trace.</summary>
    public bool CaptureStates { get; init; }

    /// <summary>
    /// When set, only the injected faults with these ordinals (1 = the first drop or duplicate the
    /// run would inject) happen; the others are skipped. The minimizer uses it to replay a run with
    /// fewer faults. Null: every fault the PRNG draws happens.
    /// </summary>
    public IReadOnlySet<long>? KeptFaults { get; init; }
}
