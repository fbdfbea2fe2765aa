using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace PaxosLabs.Benchmarks;

/// <summary>What the page says about the machine a run was taken on.</summary>
internal sealed record Machine(string Cpu, int Cores, string Memory, string Os, string Runtime, string Gc, DateTimeOffset Date)
{
    public static Machine Describe() => new(
        ReadProc("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        MemTotal(),
        RuntimeInformation.OSDescription,
        $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
        $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}",
        DateTimeOffset.UtcNow);

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} / {parts[1]} / {parts[2]}";
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string MemTotal()
    {
        var kb = ReadProc("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (kb is not null && long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value / 1024.0 / 1024.0:F1} GiB");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0:F1} GiB (GC view)");
    }

    private static string? ReadProc(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
