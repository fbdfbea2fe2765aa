using System.Diagnostics;
using System.Globalization;
using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.NetFault.Tests;

/// <summary>
/// One client operation as the clients saw it: invoked, then completed with its result, or never
/// known (a timeout or an error: it may or may not have taken effect, so <see cref="Return"/> is
/// <see cref="KvOperation.Never"/>). Times are ticks of this process's monotonic clock since the run began.
/// </summary>
internal sealed record Op(int Process, KvOpKind Kind, string Key, string Argument, long Invoke)
{
    public long Return { get; set; } = KvOperation.Never;

    public string? Output { get; set; }

    /// <summary>Why the outcome is unknown (timeout, error), or null.</summary>
    public string? Error { get; set; }

    public bool Ok => Return != KvOperation.Never;

    public KvOperation ToKv() => new(Process, Kind, Key, Argument, Kind == KvOpKind.Get && Ok ? Output : null, Invoke, Return);

    public string Show(History history)
    {
        var what = Kind == KvOpKind.Get ? $"get({Key})" : $"append({Key}, \"{Argument}\")";
        var outcome = Ok ? Kind == KvOpKind.Get ? $"ok \"{Tail(Output ?? "")}\"" : "ok" : $"unknown ({Error})";
        var end = Ok ? string.Create(CultureInfo.InvariantCulture, $"{history.Seconds(Return),8:0.000}") : "       ?";
        return string.Create(CultureInfo.InvariantCulture, $"[{history.Seconds(Invoke),8:0.000} .. {end}] p{Process,-4} {what} {outcome}");
    }

    public static string Tail(string s) => s.Length <= 60 ? s : "…" + s[^60..];
}

/// <summary>The history of a run, recorded by every client at once.</summary>
internal sealed class History
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<Op> _ops = [];
    private int _processes;

    public long Now => Stopwatch.GetTimestamp() - _start;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>A new client process number (a client whose operation ended unknown goes on as a new process, as in Jepsen).</summary>
    public int NewProcess() => Interlocked.Increment(ref _processes);

    public Op Invoke(int process, KvOpKind kind, string key, string argument)
    {
        var op = new Op(process, kind, key, argument, Now);
        lock (_gate)
        {
            _ops.Add(op);
        }

        return op;
    }

    public void Complete(Op op, string output)
    {
        var at = Now;
        lock (_gate)
        {
            op.Output = output;
            op.Return = at;
        }
    }

    public void Unknown(Op op, string why)
    {
        lock (_gate)
        {
            op.Error = why;
        }
    }

    public List<Op> Snapshot()
    {
        lock (_gate)
        {
            return [.. _ops];
        }
    }
}
