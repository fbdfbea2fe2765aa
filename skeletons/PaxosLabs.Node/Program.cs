using System.CommandLine;
using PaxosLabs.Node;

var root = new RootCommand("PaxosLabs node: run the demos of each stage on 127.0.0.1 over gRPC.");
root.Subcommands.Add(StorageDemo.Create());
root.Subcommands.Add(PaxosDemo.Create());
root.Subcommands.Add(DetectorsDemo.Create());
root.Subcommands.Add(ReplicaCommand.Create());
root.Subcommands.Add(ClientCommand.Create());
root.Subcommands.Add(ClusterCommand.Create());

// A demo of a stage whose tasks are not done names the missing task and exits 3, even when the
// stub runs on a timer's thread.
StubReached.ExitOnAnyThread();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
    return 2;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(5) });
}
catch (Exception e) when (StubReached.Describe(e) is { } line)
{
    Console.Error.WriteLine(line);
    return StubReached.ExitCode;
}
catch (Exception e) when (e is ArgumentException or IOException or OperationCanceledException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
