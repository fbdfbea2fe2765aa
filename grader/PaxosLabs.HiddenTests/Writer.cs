using System.Globalization;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.HiddenTests;

/// <summary>A client that appends "0;", "1;", … to its own key, one at a time, counting the acknowledged appends.</summary>
internal sealed class Writer(KvClient client, string key)
{
    private int _acknowledged;

    public string Key { get; } = key;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public string? Failure { get; private set; }

    public string Suffix(int n) => string.Create(CultureInfo.InvariantCulture, $"{n};");

    public string Expected() => string.Concat(Enumerable.Range(0, Acknowledged).Select(Suffix));

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Acknowledged;
            string value;
            try
            {
                value = await client.AppendAsync(Key, Suffix(n), stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the test reports any failure of a write with its message
            catch (Exception e)
#pragma warning restore CA1031
            {
                Failure = $"append #{n} failed: {e.GetType().Name}: {e.Message}";
                return;
            }

            var expected = Expected() + Suffix(n);
            if (value != expected)
            {
                Failure = $"append #{n} returned \"{ReplicaCluster.Tail(value)}\"; after {n + 1} appends, each once and in order, the value is \"{ReplicaCluster.Tail(expected)}\"";
                return;
            }

            Interlocked.Increment(ref _acknowledged);
        }
    }
}
