namespace PaxosLabs.Benchmarks;

/// <summary>How long and how often each figure measures; <c>--quick</c> is a smoke run.</summary>
internal sealed record Settings(bool Quick)
{
    public int[] Sizes { get; init; } = [3, 5, 9];

    public int[] InFlight { get; init; } = [1, 64];

    /// <summary>
    /// A closed loop's warm-up runs in slices until its rate stops rising (at least <see cref="Warmup"/>,
    /// at most <see cref="WarmupLimit"/>): tiered compilation and the connections' flow-control windows
    /// take several seconds at 64 calls in flight, far longer than at one.
    /// </summary>
    public TimeSpan Warmup => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(6);

    public TimeSpan WarmupSlice => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(1);

    public TimeSpan WarmupLimit => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20);

    public TimeSpan RunDuration => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    /// <summary>Six in a full run: every order of three contenders once (see <see cref="ClosedLoop.Order{T}"/>).</summary>
    public int Repetitions => Quick ? 3 : 6;

    /// <summary>
    /// Figure 1's repetitions at <paramref name="inFlight"/> calls in flight: 48 at one (every order
    /// eight times), six otherwise. With one call in flight a repetition's rate is one call's latency,
    /// which swings with where a few threads land on two cores, from run to run of a few seconds
    /// (per-repetition ratios from 0.70× to 1.66× in one cell of one run). So that cell takes many
    /// short repetitions (<see cref="RunDurationAt"/>): more pairs, each nearer in time, for the same
    /// time in all. At 64 in flight the repetitions differ by a few percent.
    /// </summary>
    public int RepetitionsAt(int inFlight) => ManyShortRepetitions(inFlight) ? 8 * Repetitions : Repetitions;

    /// <summary>How long each repetition of figure 1 runs: a quarter of <see cref="RunDuration"/> at one call in flight (see <see cref="RepetitionsAt"/>).</summary>
    public TimeSpan RunDurationAt(int inFlight) => ManyShortRepetitions(inFlight) ? RunDuration / 4 : RunDuration;

    /// <summary>Figure 1's one-call-in-flight cells of a full run: many short repetitions instead of a few long ones.</summary>
    private bool ManyShortRepetitions(int inFlight) => !Quick && inFlight == 1;

    /// <summary>Figure 2: replicas and closed-loop clients of the key-value store.</summary>
    public int[] KvSizes { get; init; } = [3, 5];

    public int[] KvClients { get; init; } = [1, 16, 64];

    /// <summary>Figure 3: how long each run writes, when the leader is killed, how many runs.</summary>
    public TimeSpan CrashDuration => Quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(10);

    public TimeSpan CrashAt => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(4);

    public int CrashRepetitions => Quick ? 1 : 3;

    /// <summary>Writes per simulator run and how many runs.</summary>
    public int SimWrites => Quick ? 2_000 : 20_000;

    public int SimRepetitions => Quick ? 3 : 7;

    public string Mode => Quick ? "quick (smoke run: short runs, few repetitions; not for conclusions)" : "full";
}
