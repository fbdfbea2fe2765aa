using System.Globalization;
using System.Text;

namespace PaxosLabs.Grader.Grading;

/// <summary>How the test host of a run is kept apart from the grader, the kit and its results.</summary>
public enum SandboxMode
{
    /// <summary><see cref="User"/> where the grader can set it up (root on Linux with setpriv, unshare and prlimit, allowed to make a mount namespace), else <see cref="None"/>.</summary>
    Auto,

    /// <summary>
    /// The test host runs as a user id of its own, with a bound on its processes, in a view of the
    /// file system that holds only the system folders, the .NET install and its run's folder: the kit,
    /// the submissions, the reports and the results are not there. Every process of that user id is
    /// killed when the run ends.
    /// </summary>
    User,

    /// <summary>The test host runs as the grader's own user: results are checked (<see cref="ResultsCheck"/>), not protected.</summary>
    None,

    /// <summary>Each run in a throw-away container without network, with limits, holding only its run's folder (<see cref="ContainerSandbox"/>).</summary>
    Container,
}

/// <summary>
/// One run of the hidden tests in a folder of its own: a fresh copy of the built hidden tests (the
/// run's assembly), a scratch working folder (the test host's current folder and HOME, new for
/// every run, so files the code under test writes change nothing that is graded), and a results
/// folder the grader alone writes. In <see cref="SandboxMode.User"/> the test host is started through
/// a host script that drops to the run's user id; <see cref="EndProcesses"/> then ends every process
/// of that user id, however it detached.
/// </summary>
public sealed class TestSandbox : IDisposable
{
    /// <summary>The processes (threads included) the run's user id may have at once: far above what the hidden tests need, far below a fork bomb.</summary>
    public const int ProcessLimit = 4096;

    private readonly DirectoryInfo _folder;
    private readonly SandboxUser? _user;
    private readonly (string Runtime, string Name)? _container;
    private readonly string _marker = LeftoverProcesses.NewMarker();

    private TestSandbox(DirectoryInfo folder, SandboxUser? user, (string Runtime, string Name)? container, string assembly, string? hostPath)
    {
        _folder = folder;
        _user = user;
        _container = container;
        Assembly = assembly;
        HostPath = hostPath;
    }

    /// <summary>The run's copy of the hidden-test assembly (its folder holds only the build output).</summary>
    public string Assembly { get; }

    /// <summary>Run settings, the TRX file and blame sequences: written by the runner (as the grader's user), never by the test host in <see cref="SandboxMode.User"/>.</summary>
    public string ResultsDirectory => Path.Combine(_folder.FullName, "results");

    /// <summary>The test host's current folder and HOME (and TMPDIR, but for <see cref="SandboxMode.User"/>, whose /tmp is fresh).</summary>
    public string WorkDirectory => WorkOf(_folder.FullName);

    /// <summary>The script the runner starts the test host with (its <c>DotNetHostPath</c>); null where there is none (not Linux).</summary>
    public string? HostPath { get; }

    /// <summary>The host script of this run for another program than dotnet (to look at the view the test host gets).</summary>
    public string HostScriptFor(string program) => HostScript(_folder.FullName, program, _user?.Id);

    /// <summary>The user id the test host runs as, or null when it runs as the grader's.</summary>
    public int? UserId => _user?.Id;

    /// <summary>What starts the runner with <paramref name="arguments"/> (<c>test …</c>): dotnet, or a container running it.</summary>
    public (string Program, IReadOnlyList<string> Arguments) Runner(IReadOnlyList<string> arguments) =>
        _container is var (runtime, name)
            ? (runtime, ContainerSandbox.RunArguments(name, _folder.FullName, ["dotnet", .. arguments]))
            : (HiddenTestRun.Dotnet(), arguments);

    /// <summary>The environment of the runner (<c>dotnet test</c>) for this run.</summary>
    public IReadOnlyDictionary<string, string?> RunnerEnvironment => ChildEnvironments.TestRun(_marker);

    /// <summary>
    /// Stages a run: copies <paramref name="builtTests"/> (the hidden tests' build output), writes the
    /// host script and tries it (dotnet --version through it), so a sandbox that cannot start is the
    /// grader's error, never a student's zero. <paramref name="mode"/> must be resolved (<see cref="SandboxSupport.Resolve"/>).
    /// </summary>
    /// <exception cref="GraderException">The host script does not start dotnet.</exception>
    public static TestSandbox Create(SandboxMode mode, string builtTests, string assemblyName)
    {
        if (mode == SandboxMode.Auto)
        {
            throw new ArgumentException("resolve the sandbox mode first", nameof(mode));
        }

        var folder = Directory.CreateTempSubdirectory("paxoslabs-run-");
        SandboxUser? user = null;
        (string Runtime, string Name)? container = mode == SandboxMode.Container
            ? (ContainerSandbox.Find().Runtime ?? throw new GraderException($"--sandbox container is not possible here: {ContainerSandbox.Find().WhyNot}"), $"paxoslabs-run-{Guid.NewGuid():N}")
            : null;
        try
        {
            var tests = Path.Combine(folder.FullName, "tests");
            CopyTree(builtTests, tests);
            Directory.CreateDirectory(Path.Combine(folder.FullName, "results"));
            Directory.CreateDirectory(WorkOf(folder.FullName));
            user = mode == SandboxMode.User ? SandboxUser.Acquire() : null;
            string? hostPath = null;
            if (OperatingSystem.IsLinux())
            {
                // Others may pass through the run's folder to tests/ and work/, never list it; results/ stays the grader's alone.
                File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                if (user is not null)
                {
                    Directory.CreateDirectory(Path.Combine(folder.FullName, "view"));
                }

                hostPath = Path.Combine(folder.FullName, "host.sh");
                File.WriteAllText(hostPath, container is null ? HostScript(folder.FullName, HiddenTestRun.Dotnet(), user?.Id) : ContainerSandbox.HostScript(folder.FullName));
                File.SetUnixFileMode(hostPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var sandbox = new TestSandbox(folder, user, container, Path.Combine(tests, assemblyName), hostPath);
            if (hostPath is not null)
            {
                sandbox.Try();
            }

            return sandbox;
        }
        catch
        {
            user?.KillAll();
            user?.Dispose();
            TryDelete(folder);
            throw;
        }
    }

    private static string WorkOf(string folder) => Path.Combine(folder, "work");

    /// <summary>Starts <c>dotnet --version</c> through the host script, where the runner would (in the container, for a container).</summary>
    private void Try()
    {
        var (program, arguments) = _container is var (runtime, name)
            ? (runtime, ContainerSandbox.RunArguments(name + "-probe", _folder.FullName, [HostPath!, "--version"]))
            : (HostPath!, (IReadOnlyList<string>)["--version"]);
        var probe = ChildProcess.Run(program, arguments, "/", TimeSpan.FromMinutes(1));
        if (probe.ExitCode != 0 || probe.TimedOut)
        {
            throw new GraderException($"the test sandbox does not start dotnet (exit code {probe.ExitCode}): {string.Join(" ", probe.Output.Take(10))}");
        }
    }

    /// <summary>The folders of the system a test host sees (those that exist), besides the .NET install, /dev, /proc, a fresh /tmp and its run's folder.</summary>
    public static readonly IReadOnlyList<string> SystemFolders = ["/bin", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", "/sys", "/usr"];

    /// <summary>
    /// The host script, which the runner calls as it would call dotnet. Without a user id it starts
    /// dotnet in the run's work folder. With one, it runs itself again in a mount namespace of its own,
    /// builds the view (an empty root with the system folders, the .NET install, /dev, /proc, a fresh
    /// /tmp and the run's tests/ and work/ at their own paths), and starts dotnet there as that user,
    /// with no way back to root and a bound on its processes.
    /// </summary>
    /// <param name="program">What the script starts: dotnet (a path, or a name on PATH).</param>
    public static string HostScript(string run, string program, int? userId)
    {
        var work = WorkOf(run);
        var script = new StringBuilder();
        script.AppendLine("#!/bin/sh");
        script.AppendLine("# Written by the grader for one run of the hidden tests: starts the test host.");
        script.AppendLine("set -e");
        if (userId is not { } id)
        {
            script.AppendLine($"cd {Quote(work)}");
            script.AppendLine($"export HOME={Quote(work)} DOTNET_CLI_HOME={Quote(work)} TMPDIR={Quote(work)}");
            script.AppendLine($"exec {Quote(program)} \"$@\"");
            return script.ToString();
        }

        var user = id.ToString(CultureInfo.InvariantCulture);
        var host = Path.IsPathRooted(program) ? program : SandboxSupport.Which(program) ?? throw new GraderException($"{program} not found on PATH");
        var dotnetRoot = Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host)!;
        script.AppendLine("if [ \"$1\" != --inside ]; then exec unshare --mount --propagation private -- \"$0\" --inside \"$@\"; fi");
        script.AppendLine("shift");
        script.AppendLine($"run={Quote(run)}; view=\"$run/view\"");
        script.AppendLine("mount -t tmpfs -o mode=0755 paxoslabs-view \"$view\"");
        script.AppendLine($"for d in {string.Join(' ', SystemFolders.Append(dotnetRoot).Select(Quote))}; do");
        script.AppendLine("  if [ -e \"$view$d\" ] || [ -L \"$view$d\" ]; then continue; fi");
        script.AppendLine("  if [ -L \"$d\" ]; then mkdir -p \"$view$(dirname \"$d\")\" && ln -s \"$(readlink \"$d\")\" \"$view$d\"");
        script.AppendLine("  elif [ -d \"$d\" ]; then mkdir -p \"$view$d\" && mount --rbind \"$d\" \"$view$d\"; fi");
        script.AppendLine("done");
        script.AppendLine("mkdir -p \"$view/dev\" \"$view/proc\" \"$view/tmp\" && mount --rbind /dev \"$view/dev\" && mount --rbind /proc \"$view/proc\"");
        script.AppendLine("if [ -d \"$view/dev/shm\" ]; then mount -t tmpfs -o mode=1777 paxoslabs-shm \"$view/dev/shm\"; fi");
        script.AppendLine("mount -t tmpfs -o mode=1777 paxoslabs-tmp \"$view/tmp\"");
        script.AppendLine($"install -d -o {user} -g {user} -m 0700 \"$run/work\"");
        script.AppendLine("mkdir -p \"$view$run/tests\" \"$view$run/work\" && mount --bind \"$run/tests\" \"$view$run/tests\" && mount --bind \"$run/work\" \"$view$run/work\"");
        script.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"exec prlimit --nproc={ProcessLimit}:{ProcessLimit} -- chroot \"$view\" setpriv --reuid={user} --regid={user} --clear-groups --no-new-privs -- env -C {Quote(work)} HOME={Quote(work)} DOTNET_CLI_HOME={Quote(work)} TMPDIR=/tmp {Quote(host)} \"$@\""));
        return script.ToString();
    }

    /// <summary>
    /// Ends every process the run left behind and returns how many there were: every process of the
    /// run's user id (<see cref="SandboxMode.User"/>), else those carrying the run's marker.
    /// </summary>
    public int EndProcesses()
    {
        if (_container is var (runtime, name))
        {
            ContainerSandbox.Kill(runtime, name); // still running only when the runner was stopped at a bound
            return 0;
        }

        return _user?.KillAll() ?? LeftoverProcesses.Kill(_marker);
    }

    public void Dispose()
    {
        if (_container is var (runtime, name))
        {
            ContainerSandbox.Kill(runtime, name);
        }

        if (_user is { } user)
        {
            user.KillAll();
            user.Dispose();
        }

        TryDelete(_folder);
    }

    /// <summary>Single-quoted for sh.</summary>
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind costs nothing.
        }
    }
}

/// <summary>Whether this machine can run a test host as a user of its own, and which mode a request resolves to.</summary>
public static class SandboxSupport
{
    private static readonly string[] Tools = ["setpriv", "unshare", "prlimit", "install", "mount", "chroot", "env", "kill"];

    private static readonly Lazy<string?> WhyNot = new(Probe);

    /// <summary>Why <see cref="SandboxMode.User"/> is not possible here, or null when it is (found out once per process).</summary>
    public static string? WhyNotUser() => WhyNot.Value;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "it needs Linux";
        }

        if (System.Environment.UserName != "root")
        {
            return $"the grader runs as {System.Environment.UserName}, not root, so it cannot start the test host as another user";
        }

        var missing = Tools.Where(t => Which(t) is null).ToList();
        if (missing.Count > 0)
        {
            return $"{string.Join(", ", missing)} not found on PATH (util-linux and coreutils)";
        }

        // A container without CAP_SYS_ADMIN (Docker's default) may not make mount namespaces.
        var folder = Directory.CreateTempSubdirectory("paxoslabs-probe-");
        try
        {
            var probe = ChildProcess.Run("unshare", ["--mount", "--propagation", "private", "--", "mount", "-t", "tmpfs", "paxoslabs-probe", folder.FullName], "/", TimeSpan.FromSeconds(30));
            return probe.ExitCode == 0 ? null : $"this machine does not let root make a mount namespace ({string.Join(" ", probe.Output.Take(2))}; in Docker: --cap-add SYS_ADMIN)";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The mode to grade with, and a note for the report when it is weaker than asked for.</summary>
    /// <exception cref="GraderException"><see cref="SandboxMode.User"/> or <see cref="SandboxMode.Container"/> was asked for and is not possible.</exception>
    public static (SandboxMode Mode, string? Note) Resolve(SandboxMode requested) => Resolve(requested, ContainerSandbox.Find);

    /// <param name="requested">The mode asked for.</param>
    /// <param name="findContainer">The container runtime, or why there is none (<see cref="ContainerSandbox.Find"/>).</param>
    public static (SandboxMode Mode, string? Note) Resolve(SandboxMode requested, Func<(string? Runtime, string? WhyNot)> findContainer)
    {
        if (requested == SandboxMode.None)
        {
            return (SandboxMode.None, NoneNote("--sandbox none was given"));
        }

        if (requested == SandboxMode.Container)
        {
            var container = findContainer();
            return container.Runtime is not null ? (SandboxMode.Container, null) : throw new GraderException($"--sandbox container is not possible here: {container.WhyNot}");
        }

        var whyNot = WhyNotUser();
        return whyNot switch
        {
            null => (SandboxMode.User, null),
            _ when requested == SandboxMode.User => throw new GraderException($"--sandbox user is not possible here: {whyNot}"),
            _ => (SandboxMode.None, NoneNote(whyNot)),
        };
    }

    private static string NoneNote(string why) =>
        $"not isolated: the tests ran as the grader's own user ({why}); results were checked, not protected (docs/grading.md, \"Isolation\")";

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Which(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// A user id held by one run: none of the machine's users (no entry needed), taken with a lock file so
/// runs of graders side by side never share one (each ends all of its user's processes).
/// </summary>
internal sealed class SandboxUser : IDisposable
{
    public const int First = 61_000;
    public const int Count = 1_000;

    private readonly FileStream _lock;

    private SandboxUser(int id, FileStream lockFile)
    {
        Id = id;
        _lock = lockFile;
    }

    public int Id { get; }

    public static SandboxUser Acquire()
    {
        var folder = Path.Combine(Path.GetTempPath(), "paxoslabs-sandbox-users");
        Directory.CreateDirectory(folder);
        var start = Random.Shared.Next(Count);
        for (var i = 0; i < Count; i++)
        {
            var id = First + ((start + i) % Count);
            try
            {
                var lockFile = new FileStream(Path.Combine(folder, id.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var user = new SandboxUser(id, lockFile);
                user.KillAll(); // what a grader that died left behind
                return user;
            }
            catch (IOException)
            {
                // Held by another run.
            }
        }

        throw new GraderException($"no free sandbox user id in {First}–{First + Count - 1} (are {Count} runs going at once?)");
    }

    /// <summary>
    /// Kills every process of this user id: <c>kill -KILL -1</c> run as that user signals all of them
    /// at once, so none can fork away meanwhile. Returns how many there were.
    /// </summary>
    public int KillAll()
    {
        var found = Alive().Count;
        for (var attempt = 0; attempt < 20 && Alive().Count > 0; attempt++)
        {
            var id = Id.ToString(CultureInfo.InvariantCulture);
            ChildProcess.Run("setpriv", [$"--reuid={id}", $"--regid={id}", "--clear-groups", "--", "kill", "-KILL", "-1"], "/", TimeSpan.FromSeconds(30));
            SpinWait.SpinUntil(() => Alive().Count == 0, TimeSpan.FromSeconds(2)); // not our children: watch them go
        }

        return found;
    }

    /// <summary>The process ids of this user id that are not zombies.</summary>
    private List<int> Alive()
    {
        var alive = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsAliveOf(directory))
            {
                alive.Add(pid);
            }
        }

        return alive;
    }

    private bool IsAliveOf(string procDirectory)
    {
        try
        {
            var status = File.ReadAllLines(Path.Combine(procDirectory, "status"));
            var uid = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            var state = (status.FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "State:").AsSpan(6).Trim();
            return uid is { Length: > 1 } && uid[1] == Id.ToString(CultureInfo.InvariantCulture) && state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone
        }
    }

    public void Dispose() => _lock.Dispose();
}
