using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace PaxosLabs.Benchmarks;

/// <summary>Objects and bytes per call from one profiled child run.</summary>
internal sealed record ObjectCount(string Call, int Nodes, double ObjectsPerCall, double SampledBytesPerCall, double ExactBytesPerCall);

/// <summary>
/// Which types, and about how many objects, a quorum call over the in-memory transport
/// allocates, from the runtime's sampled allocation events. The runtime sends those events only
/// when they are switched on at startup, so this runs in a child process started with them on.
/// <c>alloc-profile [read|write] [n] [calls]</c> prints the table by type.
/// </summary>
internal static class AllocationProfile
{
    private const string ChildFlag = "PAXOSLABS_ALLOC_PROFILE_CHILD";
    private const string ResultPrefix = "RESULT ";

    /// <summary>The diagnostic command: prints the allocations by type.</summary>
    public static async Task<int> RunAsync(AllocProfileRequest request)
    {
        var (call, n, calls) = request;
        if (Environment.GetEnvironmentVariable(ChildFlag) == "1")
        {
            return await ChildAsync(call, n, calls);
        }

        var (exit, _) = await RunChildAsync(call, n, calls, echo: true);
        return exit;
    }

    /// <summary>Measures one case in a child process; the counts of a figure.</summary>
    public static async Task<ObjectCount> MeasureAsync(string call, int n, int calls)
    {
        var (exit, output) = await RunChildAsync(call, n, calls, echo: false);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"alloc-profile {call} {n} exited {exit} without a result:\n{output}");
        var values = line[ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return new ObjectCount(call, n, values["objects"], values["sampled_bytes"], values["exact_bytes"]);
    }

    private static async Task<(int Exit, string Output)> RunChildAsync(string call, int n, int calls, bool echo)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var arg in new[] { "alloc-profile", call, n.ToString(CultureInfo.InvariantCulture), calls.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[ChildFlag] = "1";
        start.Environment["DOTNET_EnableEventPipe"] = "1";
        start.Environment["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x200001:5"; // GC | GCSampledObjectAllocationHigh
        start.Environment["DOTNET_EventPipeOutputPath"] = Path.Combine(Path.GetTempPath(), $"paxoslabs-alloc-profile-{Environment.ProcessId}.nettrace");
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        File.Delete(start.Environment["DOTNET_EventPipeOutputPath"]!);
        if (echo)
        {
            Console.Write(output);
        }

        return (child.ExitCode, output);
    }

    private static async Task<int> ChildAsync(string call, int n, int calls)
    {
        var bench = new InMemoryQuorumCall { N = n };
        bench.Setup();
        Func<Task> op = call == "write" ? bench.Write : bench.Read;
        for (var i = 0; i < Math.Min(20_000, calls); i++)
        {
            await op();
        }

        using var counter = new AllocationCounter();
        await Task.Delay(1000);
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        counter.Start();
        for (var i = 0; i < calls; i++)
        {
            await op();
        }

        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        await Task.Delay(1000);
        var byType = counter.Stop();
        bench.Cleanup();
        Console.WriteLine($"{call}, n = {n}, {calls:N0} calls: {bytes / (double)calls:N0} B/call exact (GC.GetTotalAllocatedBytes); by type from sampled events (approximate; they include the listener's own few)");
        Console.WriteLine($"{"objects/call",12} {"B/call",10}  type");
        foreach (var (type, (count, size)) in byType.OrderByDescending(p => p.Value.Bytes).Take(40))
        {
            Console.WriteLine($"{count / (double)calls,12:F2} {size / (double)calls,10:F1}  {type}");
        }

        var objects = byType.Values.Sum(v => v.Count) / (double)calls;
        var sampledBytes = byType.Values.Sum(v => v.Bytes) / (double)calls;
        Console.WriteLine($"{objects,12:F2} {sampledBytes,10:F1}  total (sampled)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}objects={objects:F2} sampled_bytes={sampledBytes:F1} exact_bytes={bytes / (double)calls:F1}"));
        return 0;
    }
}
