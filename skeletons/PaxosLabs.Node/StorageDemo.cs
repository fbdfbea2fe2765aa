using System.CommandLine;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Storage;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 1 demo: three storage servers on 127.0.0.1 and a client that writes and reads with
/// quorum calls, stops one server halfway and keeps going, then stops a second one.
/// </summary>
internal static class StorageDemo
{
    public static Command Create()
    {
        var servers = new Option<int>("--servers") { Description = "How many storage servers to start (1–9).", DefaultValueFactory = _ => 3 };
        var command = new Command("storage-demo", "Stage 1: quorum reads and writes on storage servers, with servers stopping.") { servers };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(servers), Console.Out, Console.Error, token));
        return command;
    }

    /// <summary>Runs the demo with <paramref name="n"/> servers, printing to <paramref name="output"/> and a bad argument to <paramref name="errors"/>.</summary>
    internal static async Task<int> RunAsync(int n, TextWriter output, TextWriter errors, CancellationToken token)
    {
        if (n is < 1 or > 9)
        {
            await errors.WriteLineAsync($"error: --servers must be between 1 and 9, not {n}");
            return 2;
        }

        var hosts = new List<GorumsGrpcHost>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                hosts.Add(await GorumsGrpcHost.StartAsync(new GorumsServer().Register(new StorageServer()), cancellationToken: token));
                output.WriteLine($"node {i} serves at {hosts[i].Address}");
            }

            await using var manager = new Manager(new GrpcTransport(), new ManagerOptions { DefaultCallTimeout = TimeSpan.FromSeconds(10) });
            var qspec = new StorageQSpec(n);
            var client = new StorageConfiguration(manager.NewConfiguration(hosts.Select(h => h.Address)), qspec);
            output.WriteLine($"quorum: {qspec.QuorumSize} of {n}");

            for (var ts = 1; ts <= 6; ts++)
            {
                if (ts == 3 || ts == 5)
                {
                    var victim = hosts.Count - 1;
                    await hosts[victim].DisposeAsync();
                    hosts.RemoveAt(victim);
                    output.WriteLine($"-- stopped node {victim}");
                }

                await WriteThenReadAsync(client, ts, output, token);
            }

            return 0;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task WriteThenReadAsync(StorageConfiguration client, long ts, TextWriter output, CancellationToken token)
    {
        try
        {
            var write = await client.WriteAsync(new State { Value = $"value-{ts}", Timestamp = ts }, token);
            var read = await client.ReadAsync(new ReadRequest(), token);
            output.WriteLine($"write ts={ts}: new={write.New}; read: {read.Value} (ts={read.Timestamp})");
        }
        catch (QuorumCallException e)
        {
            output.WriteLine($"ts={ts}: {e.Message}");
        }
    }
}
