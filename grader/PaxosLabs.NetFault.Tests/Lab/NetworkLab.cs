using System.Globalization;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>
/// The test's own network: one Linux network namespace per replica (<c>…-r1</c>, <c>…-r2</c>, …),
/// one for the clients (<c>…-c</c>), and a hub namespace whose bridge joins them by veth links.
/// Every address lives in these namespaces (10.23.0.0/24); the machine's own network is not touched.
/// Names carry the owner's process id, so namespaces left by a test process that died are found and
/// removed when the next lab starts (<see cref="CleanStale"/>). The faults it can make are the
/// kernel's: partitions by blackhole routes, a slow link (tbf), connection resets (<c>ss -K</c>),
/// and a link taken down.
/// </summary>
internal sealed class NetworkLab : IDisposable
{
    public const string Prefix = "plnf";
    public const int Port = 7000;
    public const string ClientAddress = "10.23.0.100";
    private const string Device = "eth0";
    private static int _labs;

    private readonly List<string> _namespaces = [];
    private readonly HashSet<(string Namespace, string To)> _blocked = [];
    private readonly HashSet<uint> _throttled = [];
    private readonly HashSet<uint> _down = [];
    private readonly HashSet<uint> _netem = [];
    private readonly Lock _gate = new();

    private NetworkLab(string tag, IReadOnlyList<uint> ids)
    {
        Tag = tag;
        Ids = ids;
    }

    /// <summary>The prefix of this lab's namespaces: <c>plnf&lt;pid&gt;x&lt;n&gt;</c>.</summary>
    public string Tag { get; }

    public IReadOnlyList<uint> Ids { get; }

    /// <summary>Why the kernel cannot delay, drop, duplicate or reorder packets with tc netem (probed when the lab is made), or null when it can.</summary>
    public string? NetemMissing { get; private set; }

    public string Hub => $"{Tag}-hub";

    public string ClientNamespace => $"{Tag}-c";

    public string Namespace(uint id) => string.Create(CultureInfo.InvariantCulture, $"{Tag}-r{id}");

    public static string Address(uint id) => string.Create(CultureInfo.InvariantCulture, $"10.23.0.{id}");

    public static string Endpoint(uint id) => string.Create(CultureInfo.InvariantCulture, $"{Address(id)}:{Port}");

    /// <summary>Why namespaces cannot be made here (one line), or null when they can: root, Linux, <c>ip</c>, and a namespace made and removed.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux network namespaces; this is not Linux";
        }

        if (Native.GetEuid() != 0)
        {
            return "needs root to make network namespaces (ip netns add); run the tests as root";
        }

        if (Shell.Try("ip", "-V") is { Code: not 0 } noIp)
        {
            return $"needs the `ip` tool (iproute2): {noIp.Output}";
        }

        var probe = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}probe");
        if (Shell.Try("ip", "netns", "add", probe) is { Code: not 0 } cannot)
        {
            return $"cannot make a network namespace (`ip netns add`): {cannot.Output}";
        }

        var (code, output) = Shell.Try("ip", "link", "add", "probe0", "netns", probe, "type", "veth", "peer", "name", "probe1", "netns", probe);
        Shell.Try("ip", "netns", "del", probe);
        return code == 0 ? null : $"cannot make a veth link in a network namespace: {output}";
    }

    /// <summary>Makes the namespaces and links of <paramref name="replicas"/> replicas and the clients; removes what it made if a step fails.</summary>
    public static NetworkLab Create(int replicas)
    {
        CleanStale();
        var tag = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}x{Interlocked.Increment(ref _labs)}");
        var lab = new NetworkLab(tag, [.. Enumerable.Range(1, replicas).Select(i => (uint)i)]);
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Add(Hub);
        Shell.Run("ip", "-n", Hub, "link", "add", "br0", "type", "bridge");
        Shell.Run("ip", "-n", Hub, "link", "set", "br0", "up");
        foreach (var id in Ids)
        {
            Join(Namespace(id), string.Create(CultureInfo.InvariantCulture, $"p{id}"), Address(id));
        }

        Join(ClientNamespace, "pc", ClientAddress);
        var (code, output) = Shell.Try("ip", "netns", "exec", ClientNamespace, "tc", "qdisc", "add", "dev", Device, "root", "netem", "delay", "1ms");
        NetemMissing = code == 0 ? null : $"`tc qdisc add … netem` fails: {output}";
        if (code == 0)
        {
            Shell.Run("ip", "netns", "exec", ClientNamespace, "tc", "qdisc", "del", "dev", Device, "root");
        }
    }

    private void Add(string name)
    {
        Shell.Run("ip", "netns", "add", name);
        _namespaces.Add(name);
        Shell.Run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /// <summary>A namespace with <c>eth0</c> at <paramref name="address"/>, linked to the hub's bridge by port <paramref name="port"/>.</summary>
    private void Join(string name, string port, string address)
    {
        Add(name);
        Shell.Run("ip", "link", "add", Device, "netns", name, "type", "veth", "peer", "name", port, "netns", Hub);
        Shell.Run("ip", "-n", Hub, "link", "set", port, "master", "br0");
        Shell.Run("ip", "-n", Hub, "link", "set", port, "up");
        Shell.Run("ip", "-n", name, "addr", "add", $"{address}/24", "dev", Device);
        Shell.Run("ip", "-n", name, "link", "set", Device, "up");
    }

    /// <summary>Removes the namespaces (and kills the processes in them) of labs whose test process is gone, and their data folders.</summary>
    public static void CleanStale()
    {
        var (code, list) = Shell.Try("ip", "netns", "list");
        if (code != 0)
        {
            return;
        }

        foreach (var name in list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]))
        {
            if (Owner(name, Prefix) is { } pid && !Directory.Exists($"/proc/{pid}"))
            {
                foreach (var stray in Shell.Try("ip", "netns", "pids", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(stray, CultureInfo.InvariantCulture, out var strayPid))
                    {
                        Native.Kill(strayPid, 9);
                    }
                }

                Shell.Try("ip", "netns", "del", name);
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "paxoslabs-netfault-*"))
        {
            if (Owner(Path.GetFileName(folder), "paxoslabs-netfault-") is { } pid && !Directory.Exists($"/proc/{pid}"))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The process id in a name made by <paramref name="prefix"/> + pid + a non-digit, or null.</summary>
    private static int? Owner(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = new string([.. name[prefix.Length..].TakeWhile(char.IsAsciiDigit)]);
        return int.TryParse(digits, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>The namespace of a member of a partition: a replica id, or 0 for the clients.</summary>
    public string Of(uint member) => member == 0 ? ClientNamespace : Namespace(member);

    private static string AddressOf(uint member) => member == 0 ? ClientAddress : Address(member);

    /// <summary>Packets from <paramref name="from"/> to <paramref name="to"/> (ids, 0 = the clients) vanish: a blackhole route in the sender's namespace.</summary>
    public void Block(uint from, uint to)
    {
        lock (_gate)
        {
            if (_blocked.Add((Of(from), AddressOf(to))))
            {
                Shell.Run("ip", "-n", Of(from), "route", "add", "blackhole", $"{AddressOf(to)}/32");
            }
        }
    }

    /// <summary>Blocks both ways between every member of <paramref name="side"/> and every member of <paramref name="other"/>.</summary>
    public void Partition(IReadOnlyCollection<uint> side, IReadOnlyCollection<uint> other)
    {
        foreach (var a in side)
        {
            foreach (var b in other)
            {
                Block(a, b);
                Block(b, a);
            }
        }
    }

    /// <summary>A slow link: the replica's traffic both ways goes through a token bucket (tbf) of <paramref name="kbit"/> kbit/s whose queue holds <paramref name="queueMs"/> ms; what waits longer is dropped.</summary>
    public void Throttle(uint id, int kbit, int queueMs)
    {
        lock (_gate)
        {
            if (_throttled.Add(id))
            {
                string[] tbf = ["root", "tbf", "rate", $"{kbit}kbit", "burst", "4kb", "latency", $"{queueMs}ms"];
                Shell.Run("ip", ["netns", "exec", Namespace(id), "tc", "qdisc", "add", "dev", Device, .. tbf]);
                Shell.Run("ip", ["netns", "exec", Hub, "tc", "qdisc", "add", "dev", string.Create(CultureInfo.InvariantCulture, $"p{id}"), .. tbf]);
            }
        }
    }

    /// <summary>
    /// Only where the kernel has netem (<see cref="NetemMissing"/> is null): the replica's packets
    /// both ways delayed 40 ms ± 20 ms, 3 % lost, 1 % duplicated, some reordered.
    /// </summary>
    public void Netem(uint id)
    {
        lock (_gate)
        {
            if (_netem.Add(id))
            {
                string[] netem = ["root", "netem", "delay", "40ms", "20ms", "loss", "3%", "duplicate", "1%", "reorder", "10%", "50%"];
                Shell.Run("ip", ["netns", "exec", Namespace(id), "tc", "qdisc", "add", "dev", Device, .. netem]);
                Shell.Run("ip", ["netns", "exec", Hub, "tc", "qdisc", "add", "dev", string.Create(CultureInfo.InvariantCulture, $"p{id}"), .. netem]);
            }
        }
    }

    /// <summary>Resets every TCP connection of the replica (<c>ss -K</c>): both ends see the connection fail at once.</summary>
    public string ResetConnections(uint id) =>
        Shell.Run("ip", "netns", "exec", Namespace(id), "ss", "-K", "-t", "dst", "10.23.0.0/24");

    /// <summary>Takes the replica's link down: its sends fail at once, nothing reaches it.</summary>
    public void LinkDown(uint id)
    {
        lock (_gate)
        {
            if (_down.Add(id))
            {
                Shell.Run("ip", "-n", Namespace(id), "link", "set", Device, "down");
            }
        }
    }

    /// <summary>Undoes every fault of the network: routes, token buckets, links.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            foreach (var (ns, to) in _blocked)
            {
                Shell.Run("ip", "-n", ns, "route", "del", "blackhole", $"{to}/32");
            }

            foreach (var id in _throttled.Union(_netem))
            {
                Shell.Run("ip", "netns", "exec", Namespace(id), "tc", "qdisc", "del", "dev", Device, "root");
                Shell.Run("ip", "netns", "exec", Hub, "tc", "qdisc", "del", "dev", string.Create(CultureInfo.InvariantCulture, $"p{id}"), "root");
            }

            foreach (var id in _down)
            {
                Shell.Run("ip", "-n", Namespace(id), "link", "set", Device, "up");
            }

            _blocked.Clear();
            _throttled.Clear();
            _netem.Clear();
            _down.Clear();
        }
    }

    /// <summary>Kills what still runs in the namespaces (the caller stops its processes first) and removes them.</summary>
    public void Dispose()
    {
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            foreach (var stray in Shell.Try("ip", "netns", "pids", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(stray, CultureInfo.InvariantCulture, out var pid))
                {
                    Native.Kill(pid, 9);
                }
            }

            Shell.Try("ip", "netns", "del", name);
        }

        _namespaces.Clear();
    }
}
