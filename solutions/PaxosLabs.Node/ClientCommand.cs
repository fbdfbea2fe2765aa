using System.CommandLine;
using System.Globalization;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Node;

/// <summary>
/// Stage 4: a client of the replicated key-value store. <c>get</c>, <c>put</c> and <c>append</c>
/// run one operation and print its result (the value read, or the value after the write);
/// <c>load</c> runs a closed-loop workload with a progress line and ends with the throughput and
/// latency percentiles. Each operation is a quorum call to every replica, retried with the same
/// sequence number until its deadline.
/// </summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var nodes = new Option<string>("--nodes") { Description = $"Every replica's id and address: id=host:port,… e.g. {NodeMap.Example}", Required = true, Recursive = true };
        var clientId = new Option<string?>("--client-id")
        {
            Description = "The client's id (default: a new random one, printed). Use a new id for every run: sequence numbers restart at 1, and the replicas answer a repeated (id, sequence number) from their session table without running it.",
            Recursive = true,
        };
        var deadline = new Option<int>("--deadline-ms") { Description = "How long one operation may take, retries included (1–3600000).", DefaultValueFactory = _ => 5000, Recursive = true };
        var leaderDirect = new Option<bool>("--leader-direct") { Description = "Send each request to the replica the last answer named as leader (protocol §4.5), not to every replica.", Recursive = true };

        var getKey = new Argument<string>("key") { Description = "The key to read." };
        var get = new Command("get", "Read a key (a missing key reads as empty).") { getKey };

        var putKey = new Argument<string>("key") { Description = "The key to write." };
        var putValue = new Argument<string>("value") { Description = "Its new value." };
        var put = new Command("put", "Write a key.") { putKey, putValue };

        var appendKey = new Argument<string>("key") { Description = "The key to append to." };
        var appendSuffix = new Argument<string>("suffix") { Description = "What to append to its value." };
        var append = new Command("append", "Append to a key's value.") { appendKey, appendSuffix };

        var clients = new Option<int>("--clients") { Description = "How many clients run at once, each waiting for its operation before the next (1–1024).", DefaultValueFactory = _ => 16 };
        var ops = new Option<int>("--ops") { Description = "How many operations in all (1–100000000).", DefaultValueFactory = _ => 1000 };
        var keys = new Option<int>("--keys") { Description = "How many keys (key-0, key-1, …) the operations use (1–1000000).", DefaultValueFactory = _ => 100 };
        var load = new Command("load", "Run a closed-loop workload (half puts, a quarter appends, a quarter gets) and print throughput and latency percentiles.") { clients, ops, keys };

        var command = new Command("client", "Stage 4: a client of the replicated key-value store: get, put, append, or a load generator.") { nodes, clientId, deadline, leaderDirect, get, put, append, load };

        get.SetAction((parse, token) => RunOneAsync(Settings(parse), new KvCommand { Op = KvCommand.Types.Op.Get, Key = parse.GetValue(getKey) }, token));
        put.SetAction((parse, token) => RunOneAsync(Settings(parse), new KvCommand { Op = KvCommand.Types.Op.Put, Key = parse.GetValue(putKey), Value = parse.GetValue(putValue) }, token));
        append.SetAction((parse, token) => RunOneAsync(Settings(parse), new KvCommand { Op = KvCommand.Types.Op.Append, Key = parse.GetValue(appendKey), Value = parse.GetValue(appendSuffix) }, token));
        load.SetAction((parse, token) => RunLoadAsync(Settings(parse), parse.GetValue(clients), parse.GetValue(ops), parse.GetValue(keys), token));
        return command;

        ClientSettings Settings(ParseResult parse) => new(parse.GetValue(nodes), parse.GetValue(clientId), parse.GetValue(deadline), parse.GetValue(leaderDirect) ? KvClientMode.LeaderDirect : KvClientMode.AllReplicas);
    }

    private sealed record ClientSettings(string? Nodes, string? ClientId, int DeadlineMs, KvClientMode Mode);

    /// <summary>The parsed settings, or a one-line problem.</summary>
    private static (Dictionary<uint, string>? Nodes, string ClientId, TimeSpan Deadline, string? Problem) Check(ClientSettings settings)
    {
        Dictionary<uint, string> nodes;
        try
        {
            nodes = NodeMap.Parse(settings.Nodes);
        }
        catch (FormatException e)
        {
            return (null, "", default, e.Message);
        }

        if (settings.DeadlineMs is < 1 or > 3_600_000)
        {
            return (null, "", default, $"--deadline-ms must be between 1 and 3600000, not {settings.DeadlineMs}");
        }

        if (settings.ClientId is { } given && (string.IsNullOrWhiteSpace(given) || given.Any(char.IsControl)))
        {
            return (null, "", default, "--client-id must not be blank");
        }

        var id = settings.ClientId ?? string.Create(CultureInfo.InvariantCulture, $"cli-{Random.Shared.Next():x8}");
        return (nodes, id, TimeSpan.FromMilliseconds(settings.DeadlineMs), null);
    }

    private static async Task<int> RunOneAsync(ClientSettings settings, KvCommand command, CancellationToken token)
    {
        var (nodes, clientId, deadline, problem) = Check(settings);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 2;
        }

        using var interruption = new Interruption(token);
        await using var manager = new Manager(NodeMap.Transport(), new ManagerOptions { ClientName = clientId });
        var replicas = Replicas(manager, nodes!, deadline);
        await Console.Error.WriteLineAsync($"(client {clientId})");
        try
        {
            var result = await new KvClient(clientId, replicas, new KvClientOptions { Deadline = deadline, Mode = settings.Mode }).RunAsync(command, interruption.Token);
            Console.WriteLine(result);
            return 0;
        }
        catch (Exception) when (interruption.Token.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted; the operation may or may not have run");
            return 130;
        }
#pragma warning disable CA1031 // a failed operation is one line on stderr, never a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"error: {command.Op.ToString().ToLowerInvariant()} {command.Key}: {Workload.Describe(e, deadline)}{Unreachable(replicas)}");
            return 1;
        }
    }

    private static async Task<int> RunLoadAsync(ClientSettings settings, int clients, int ops, int keys, CancellationToken token)
    {
        var (nodes, clientId, deadline, problem) = Check(settings);
        problem ??= clients is < 1 or > 1024 ? $"--clients must be between 1 and 1024, not {clients}"
            : ops is < 1 or > 100_000_000 ? $"--ops must be between 1 and 100000000, not {ops}"
            : keys is < 1 or > 1_000_000 ? $"--keys must be between 1 and 1000000, not {keys}"
            : null;
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 2;
        }

        using var interruption = new Interruption(token);
        await using var manager = new Manager(NodeMap.Transport(), new ManagerOptions { ClientName = clientId });
        var replicas = Replicas(manager, nodes!, deadline);
        var workload = new Workload(replicas, clientId, clients, keys, deadline, settings.Mode);
        Console.WriteLine($"load: {ops} ops from {clients} clients ({clientId}-0 … {clientId}-{clients - 1}) on {keys} keys; replicas {NodeMap.Show(nodes!)}; deadline {deadline.TotalSeconds:0.###} s per op");

        var run = workload.RunAsync(ops, stopOnFailure: true, interruption.Token);
        var progress = !Console.IsOutputRedirected;
        var (lastDone, lastTime) = (0L, TimeSpan.Zero);
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None)) != run)
        {
            if (progress)
            {
                var (done, now) = (workload.Done, workload.Elapsed);
                var rate = (done - lastDone) / Math.Max((now - lastTime).TotalSeconds, 1e-3);
                Console.Write(string.Create(CultureInfo.InvariantCulture, $"\r{done}/{ops} ops, {rate:0} ops/s{(workload.Failed > 0 ? ", failing" : "")}    "));
                (lastDone, lastTime) = (done, now);
            }
        }

        await run;
        if (progress)
        {
            Console.Write(string.Create(CultureInfo.InvariantCulture, $"\r{workload.Done}/{ops} ops{new string(' ', 30)}\n"));
        }

        Console.WriteLine(workload.Summary());
        if (workload.FirstError is { } error)
        {
            await Console.Error.WriteLineAsync($"error: {error}; load stopped{Unreachable(replicas)}");
            return 1;
        }

        if (interruption.Token.IsCancellationRequested)
        {
            Console.WriteLine("interrupted");
        }

        return 0;
    }

    /// <summary>A client's view of all replicas. Each call may take 2 s (less than the deadline); KvClient retries it until the deadline.</summary>
    private static MultiPaxosConfiguration Replicas(Manager manager, Dictionary<uint, string> nodes, TimeSpan deadline) =>
        new(manager.NewConfiguration(nodes.OrderBy(n => n.Key)), new PaxosQSpec(nodes.Count))
        {
            Timeout = deadline < TimeSpan.FromSeconds(2) ? deadline : TimeSpan.FromSeconds(2),
        };

    /// <summary>"; unreachable: replica 1 (127.0.0.1:5001): …" for the replicas whose link is down.</summary>
    private static string Unreachable(MultiPaxosConfiguration replicas)
    {
        var down = replicas.Configuration.Where(n => n.State != LinkState.Ready).ToList();
        if (down.Count == 0)
        {
            return "";
        }

        var all = down.Count == replicas.Configuration.Count ? " (is the cluster running?)" : "";
        return $"; unreachable{all}: " + string.Join(", ", down.Select(n => $"replica {n.Id} at {n.Address}{Reason(n.LastError)}"));
    }

    private static string Reason(Exception? error)
    {
        while (error?.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error is null ? "" : $" ({error.Message})";
    }
}
