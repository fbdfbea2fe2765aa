using System.Globalization;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.NetFault.Tests;

/// <summary>
/// Closed-loop clients: each appends unique tokens ("p7.12,") to, or reads, a key drawn from a small
/// set, one operation at a time, recording every invocation and completion. An operation that times
/// out (or fails) is unknown, and the client goes on as a new process with a new client id, so a
/// late execution of the old request cannot be confused with the new ones. The key set moves on
/// every <see cref="KeyEpoch"/>, which bounds the values and the checker's work per key in long runs.
/// </summary>
internal sealed class Clients(Func<string, KvClient> connect, History history, int seed, int keysPerEpoch, TimeSpan deadline)
{
    public static readonly TimeSpan KeyEpoch = TimeSpan.FromSeconds(10);

    /// <summary>Appends whose result did not end with their own token (each is a failure of the run).</summary>
    public List<string> BadResults { get; } = [];

    public static string Token(int process, int n) => string.Create(CultureInfo.InvariantCulture, $"p{process}.{n},");

    /// <summary>Runs <paramref name="count"/> clients until <paramref name="stop"/>; an operation under way when it fires is finished (or times out), not abandoned.</summary>
    public Task RunAsync(int count, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => RunOneAsync(i, stop), CancellationToken.None)));

    private async Task RunOneAsync(int index, CancellationToken stop)
    {
#pragma warning disable CA5394 // a seeded workload, not security
        var random = new Random(seed + index);
        var process = history.NewProcess();
        var client = connect(Name(process));
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var epoch = (int)(history.Elapsed / KeyEpoch);
            var key = string.Create(CultureInfo.InvariantCulture, $"k{epoch}-{random.Next(keysPerEpoch)}");
            var append = random.NextDouble() < 0.65;
#pragma warning restore CA5394
            var token = append ? Token(process, n++) : "";
            var op = history.Invoke(process, append ? KvOpKind.Append : KvOpKind.Get, key, token);
            try
            {
                var command = new KvCommand { Op = append ? KvCommand.Types.Op.Append : KvCommand.Types.Op.Get, Key = key, Value = token };
                var result = await client.RunAsync(command, CancellationToken.None);
                history.Complete(op, result);
                if (append && !result.EndsWith(token, StringComparison.Ordinal))
                {
                    lock (BadResults)
                    {
                        BadResults.Add($"p{process} append({key}, \"{token}\") returned \"{Op.Tail(result)}\", which does not end with its token");
                    }
                }
            }
#pragma warning disable CA1031 // any failure of an operation makes its outcome unknown; the history says which
            catch (Exception e)
#pragma warning restore CA1031
            {
                history.Unknown(op, e is TimeoutException ? $"timeout after {deadline.TotalSeconds:0} s" : $"{e.GetType().Name}: {e.Message}");
                process = history.NewProcess();
                client = connect(Name(process));
                n = 0;
            }
        }
    }

    private static string Name(int process) => string.Create(CultureInfo.InvariantCulture, $"netfault-p{process}");
}
