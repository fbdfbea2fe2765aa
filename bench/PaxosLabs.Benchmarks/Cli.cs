using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>What a command line asks the suite to measure, and how.</summary>
/// <param name="Figures">The figures to measure, each once; they run in the suite's own order.</param>
internal sealed record FiguresRequest(IReadOnlyList<string> Figures, bool Quick, string? Out, string? Artifacts, int[]? Sizes, int[]? InFlight);

/// <summary>The <c>alloc-profile</c> diagnostic's arguments.</summary>
internal sealed record AllocProfileRequest(string Call, int Nodes, int Calls);

/// <summary>The <c>kv-profile</c> diagnostic's arguments.</summary>
/// <param name="DataDir">With a folder: the store durable (stage 5), its journals there; the peer's state there.</param>
internal sealed record KvProfileRequest(int Clients, int Seconds, int Repetitions, bool Peer = false, string? DataDir = null);

/// <summary>
/// The suite's command line, parsed with System.CommandLine as the grader's and the node's are:
/// <c>&lt;figures&gt; [--quick] [--out FILE] [--artifacts DIR] [--sizes N,..] [--in-flight K,..]</c>,
/// and the diagnostics <c>alloc-profile [read|write] [n] [calls]</c> and <c>kv-profile [clients] [seconds] [repetitions] [--peer] [--data-dir DIR]</c>. A usage mistake is one line
/// on stderr and exit code 2.
/// </summary>
internal static class Cli
{
    /// <summary>How to run the suite, as the docs and the results page show it.</summary>
    public const string RunCommand = "dotnet run -c Release --project bench/PaxosLabs.Benchmarks --";

    /// <summary>Every figure, in the order the suite measures them.</summary>
    public static readonly IReadOnlyList<string> Figures = ["throughput", "latency", "alloc", "kv", "raft", "crash", "sim", "grade", "durable"];

    private const int UsageError = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error, Suite.RunAsync, AllocationProfile.RunAsync, KvProfile.RunAsync);

    /// <summary>Parses <paramref name="args"/> and runs what they ask for through the given actions; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        Func<FiguresRequest, IReadOnlyList<string>, Task<int>> runFigures,
        Func<AllocProfileRequest, Task<int>> runAllocProfile,
        Func<KvProfileRequest, Task<int>> runKvProfile)
    {
        ArgumentNullException.ThrowIfNull(error);
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        var parse = BuildRootCommand(args, runFigures, runAllocProfile, runKvProfile).Parse(args);

        // System.CommandLine would print the errors and the whole help text and exit 1; the kit's
        // command lines answer every usage mistake with one line and exit code 2.
        if (parse.Action is ParseErrorAction)
        {
            await error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))} (see --help)");
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private static RootCommand BuildRootCommand(
        string[] args,
        Func<FiguresRequest, IReadOnlyList<string>, Task<int>> runFigures,
        Func<AllocProfileRequest, Task<int>> runAllocProfile,
        Func<KvProfileRequest, Task<int>> runKvProfile)
    {
        var figures = new Argument<IReadOnlyList<string>>("figures")
        {
            Description = $"all, or a comma-separated list of figures: {string.Join(", ", Figures)}.",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseFigures,
        };
        var quick = new Option<bool>("--quick") { Description = "A short smoke run (numbers not for conclusions)." };
        var outPath = new Option<string?>("--out") { Description = "Write the results page there (e.g. docs/performance.md).", HelpName = "file" };
        var artifacts = new Option<string?>("--artifacts") { Description = "BenchmarkDotNet's working folder (default: artifacts/benchmarks under the repository).", HelpName = "dir" };
        var sizes = new Option<int[]?>("--sizes")
        {
            Description = "Figure 1's server counts (default 3,5,9), e.g. --sizes 3 to look at one cell while tuning.",
            HelpName = "N,..",
            CustomParser = result => ParseCounts(result, "--sizes", "3,5,9"),
        };
        var inFlight = new Option<int[]?>("--in-flight")
        {
            Description = "Figure 1's calls in flight (default 1,64).",
            HelpName = "K,..",
            CustomParser = result => ParseCounts(result, "--in-flight", "1,64"),
        };

        var call = new Argument<string>("call") { Description = "Which quorum call: read or write.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "read", CustomParser = ParseCall };
        var nodes = new Argument<int>("n") { Description = "How many servers.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 3, CustomParser = result => ParseWhole(result, "n", 3) };
        var calls = new Argument<int>("calls") { Description = "How many calls to profile.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 200_000, CustomParser = result => ParseWhole(result, "calls", 200_000) };
        var allocProfile = new Command("alloc-profile", "A diagnostic, not a figure: re-runs itself with the runtime's sampled allocation events on and lists which types a quorum call over the in-memory transport allocates.")
        {
            call, nodes, calls,
        };
        allocProfile.SetAction(parse => runAllocProfile(new AllocProfileRequest(parse.GetValue(call)!, parse.GetValue(nodes), parse.GetValue(calls))));

        var clients = new Argument<int>("clients") { Description = "How many closed-loop clients.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 16, CustomParser = result => ParseWhole(result, "clients", 16) };
        var seconds = new Argument<int>("seconds") { Description = "How long each repetition runs.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 5, CustomParser = result => ParseWhole(result, "seconds", 5) };
        var repetitions = new Argument<int>("repetitions") { Description = "How many repetitions.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 3, CustomParser = result => ParseWhole(result, "repetitions", 3) };
        var peer = new Option<bool>("--peer") { Description = "Profile figure 2's Raft peer instead, measured the same way." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Profile the durable store (stage 5) with its journals in a new folder under this one, as figure 6 does (the peer keeps its state there too), e.g. /dev/shm.", HelpName = "dir" };
        var kvProfile = new Command("kv-profile", "A diagnostic, not a figure: runs figure 2's fastest contender (or, with --peer, the Raft peer) alone and prints, per repetition, commands/s and what a command costs (CPU, bytes, work items, GC pause, commands per slot).")
        {
            clients, seconds, repetitions, peer, dataDir,
        };
        kvProfile.SetAction(parse => runKvProfile(new KvProfileRequest(parse.GetValue(clients), parse.GetValue(seconds), parse.GetValue(repetitions), parse.GetValue(peer), parse.GetValue(dataDir))));

        var root = new RootCommand($"""
            The kit's benchmark suite: measures figures and writes the results page. Run it in Release:
              {RunCommand} all --out docs/performance.md
            The figures:
              throughput  figure 1, closed loop (1 and 64 calls in flight)
              latency     figure 1, one call in flight, BenchmarkDotNet (also the gRPC allocation figure)
              alloc       allocations per quorum call over the in-memory transport, BenchmarkDotNet
              kv          figure 2, Multi-Paxos key-value store: 3 and 5 replicas, 1/16/64 clients, batching off/on
              raft        figure 2's peer: a 3-node DotNext Raft key-value store, 1, 16 and 64 clients
              crash       figure 3, throughput across a leader crash (writes an SVG plot: figures/leader-crash.svg
                          beside --out, else under --artifacts)
              sim         figure 4, simulator steps and trace events per second
              grade       figure 5, wall time of a full hidden grade of the solutions, build excluded
              durable     figure 6, stage 5: the durable store beside the Raft peer on a disk folder and on tmpfs
            """)
        {
            figures, quick, outPath, artifacts, sizes, inFlight,
        };
        root.Subcommands.Add(allocProfile);
        root.Subcommands.Add(kvProfile);
        root.SetAction(parse => runFigures(
            new FiguresRequest(parse.GetValue(figures)!, parse.GetValue(quick), parse.GetValue(outPath), parse.GetValue(artifacts), Given(parse.GetValue(sizes)), Given(parse.GetValue(inFlight))),
            args));
        return root;
    }

    /// <summary>A list option's value, null when it was not given (System.CommandLine then gives an empty array; a given one is never empty).</summary>
    private static int[]? Given(int[]? counts) => counts is { Length: > 0 } ? counts : null;

    /// <summary>"all" or known figures separated by commas, each taken once.</summary>
    private static IReadOnlyList<string> ParseFigures(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (text == "all")
        {
            return Figures;
        }

        var named = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        var unknown = named.Except(Figures).ToList();
        if (named.Count == 0 || unknown.Count > 0)
        {
            result.AddError($"{(unknown.Count > 0 ? $"unknown figure(s) {string.Join(", ", unknown)}" : "no figure")}: figures are all or a comma-separated list of {string.Join(", ", Figures)}");
            return [];
        }

        return named;
    }

    private static string ParseCall(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "read" : result.Tokens[0].Value;
        if (text is not ("read" or "write"))
        {
            result.AddError($"the call must be read or write, not '{text}'");
        }

        return text;
    }

    /// <summary>Whole numbers of at least 1, separated by commas; anything else is a one-line usage error.</summary>
    private static int[]? ParseCounts(ArgumentResult result, string option, string example)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                counts.Clear();
                break;
            }

            counts.Add(value);
        }

        if (counts.Count == 0)
        {
            result.AddError($"{option} must be whole numbers of at least 1 separated by commas (such as {example}), not '{text}'");
            return null;
        }

        return [.. counts];
    }

    /// <summary>A whole number of at least 1, else <paramref name="defaultValue"/> when absent; anything else is a one-line usage error.</summary>
    private static int ParseWhole(ArgumentResult result, string name, int defaultValue)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return value;
        }

        result.AddError($"{name} must be a whole number of at least 1, not '{text}'");
        return defaultValue;
    }
}
