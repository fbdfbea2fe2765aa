using System.CommandLine;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.SinglePaxos;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 2 demo: Paxos nodes on 127.0.0.1 over gRPC, each an acceptor; some of them propose
/// different values at the same time. Prints the rounds each proposer tried and the one value
/// every node decided.
/// </summary>
internal static class PaxosDemo
{
    private static readonly string[] Fruits = ["apple", "banana", "cherry", "damson", "elderberry", "fig", "grape", "hazelnut", "kiwi"];

    public static Command Create()
    {
        var acceptors = new Option<int>("--acceptors") { Description = "How many Paxos nodes (acceptors) to start (1–9).", DefaultValueFactory = _ => 3 };
        var proposers = new Option<int>("--proposers") { Description = "How many of them propose at the same time (1–acceptors).", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seeds the proposers' random backoffs.", DefaultValueFactory = _ => 1 };
        var command = new Command("paxos-demo", "Stage 2: competing proposers agree on one value with single-decree Paxos.") { acceptors, proposers, seed };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(acceptors), parse.GetValue(proposers), parse.GetValue(seed), Console.Out, Console.Error, token));
        return command;
    }

    /// <summary>Runs the demo, printing to <paramref name="output"/> and errors to <paramref name="errors"/>; returns the exit code.</summary>
    internal static async Task<int> RunAsync(int n, int p, int seed, TextWriter output, TextWriter errors, CancellationToken token)
    {
        if (n is < 1 or > 9)
        {
            await errors.WriteLineAsync($"error: --acceptors must be between 1 and 9, not {n}");
            return 2;
        }

        if (p < 1 || p > n)
        {
            await errors.WriteLineAsync($"error: --proposers must be between 1 and --acceptors ({n}), not {p}");
            return 2;
        }

        var hosts = new List<GorumsGrpcHost>();
        var nodes = new List<PaxosNode>();
        try
        {
            // Hosts first, to learn their ports; each node's service joins its server before any call.
            var servers = new List<GorumsServer>();
            for (var i = 0; i < n; i++)
            {
                servers.Add(new GorumsServer());
                hosts.Add(await GorumsGrpcHost.StartAsync(servers[i], cancellationToken: token));
            }

            var addresses = Enumerable.Range(0, n).ToDictionary(i => (uint)i, i => hosts[i].Address);
            for (uint id = 0; id < n; id++)
            {
                var node = new PaxosNode(id, addresses, new GrpcTransport(), new PaxosNodeOptions
                {
                    Random = new Random(seed * 100 + (int)id),
                    CallTimeout = TimeSpan.FromSeconds(2),
                });
                servers[(int)id].Register(node.Service);
                nodes.Add(node);
                output.WriteLine($"node {id} serves at {addresses[id]}");
            }

            output.WriteLine($"quorum: {new PaxosQSpec(n).QuorumSize} of {n}; rounds of node i are i, i + {n}, i + {2 * n}, …");
            var proposals = nodes.Take(p).Select(node => (Node: node, Value: Fruits[node.Id], Run: node.ProposeAsync(Fruits[node.Id], token))).ToList();
            output.WriteLine("proposing at the same time: " + string.Join(", ", proposals.Select(x => $"node {x.Node.Id} \"{x.Value}\"")));
            await Task.WhenAll(proposals.Select(x => x.Run)).WaitAsync(TimeSpan.FromSeconds(30), token);

            foreach (var (node, value, run) in proposals)
            {
                output.WriteLine($"proposer {node.Id} (\"{value}\"): rounds tried {string.Join(", ", node.Proposer.RoundsTried)} -> chosen \"{await run}\"");
            }

            foreach (var node in nodes)
            {
                var decided = await node.Decision.WaitAsync(TimeSpan.FromSeconds(10), token);
                output.WriteLine($"node {node.Id} decided \"{decided}\"");
            }

            var values = nodes.Select(x => x.Decided).Distinct().ToList();
            if (values.Count != 1)
            {
                await errors.WriteLineAsync($"error: nodes decided different values: {string.Join(", ", values)}");
                return 1;
            }

            output.WriteLine($"one value decided: \"{values[0]}\"");
            return 0;
        }
        catch (TimeoutException)
        {
            await errors.WriteLineAsync("error: no decision within the time limit");
            return 1;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
