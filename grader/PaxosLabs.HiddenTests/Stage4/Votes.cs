using PaxosLabs.MultiPaxos;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Short ways to write Multi-Paxos messages in tables, and to print them in failure messages.</summary>
internal static class Votes
{
    public static Value Cmd(string client, ulong seq, string key = "k", string value = "v") =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = key, Value = value } };

    public static Value Noop => new() { IsNoop = true };

    public static PValue Vote(ulong slot, long vrnd, Value value) => new() { Slot = slot, Vrnd = vrnd, Vval = value };

    public static PromiseMsg Promise(long rnd, params PValue[] accepted)
    {
        var promise = new PromiseMsg { Rnd = rnd };
        promise.Accepted.AddRange(accepted);
        return promise;
    }

    public static string Show(Value? v) =>
        v is null ? "(none)" : v.IsNoop ? "no-op" : v.Batch.Count > 0 ? $"[{string.Join(" ", v.Batch.Select(b => Show(b)))}]" : $"{v.ClientId}#{v.ClientSeq}";

    public static string Show(IEnumerable<PValue> votes) =>
        "[" + string.Join(", ", votes.Select(v => $"slot {v.Slot}: {Show(v.Vval)} @ round {v.Vrnd}")) + "]";
}
