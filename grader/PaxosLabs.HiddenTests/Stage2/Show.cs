using PaxosLabs.SinglePaxos;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>Messages as the assignment text writes them, for failure messages.</summary>
internal static class Show
{
    public static string Promise(PromiseMsg? p) => p is null ? "null" : $"Promise{{Rnd={p.Rnd}, Vrnd={p.Vrnd}, Vval=\"{p.Vval}\"}}";

    public static string Learn(LearnMsg? l) => l is null ? "null" : $"Learn{{Rnd={l.Rnd}, Val=\"{l.Val}\"}}";

    public static string State(Acceptor a) => $"rnd={a.Rnd}, vrnd={a.Vrnd}, vval=\"{a.Vval}\"";

    public static PromiseMsg NoValue(long rnd) => new() { Rnd = rnd, Vrnd = Rounds.NoRound, Vval = "" };

    public static PromiseMsg Vote(long rnd, long vrnd, string vval) => new() { Rnd = rnd, Vrnd = vrnd, Vval = vval };

    public static LearnMsg Learned(long rnd, string val) => new() { Rnd = rnd, Val = val };
}
