using System.Globalization;
using System.Text;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// <see cref="SandboxMode.Container"/>: each run of the hidden tests (the runner and the test host)
/// runs in a throw-away container of the image built from <see cref="ImageFolder"/>, without a
/// network, with CPU, memory and process limits, a read-only root and only its run's folder mounted:
/// <c>tests/</c> read-only, <c>work/</c> writable, <c>results/</c> the runner's alone (the test host is
/// dropped to <see cref="HostUser"/> by the host script, as in <see cref="SandboxMode.User"/>). The kit,
/// the submissions and the reports are not in it. The container is killed when the run ends.
/// </summary>
public static class ContainerSandbox
{
    /// <summary>The image's definition in the kit.</summary>
    public const string ImageFolder = "grader/container";

    /// <summary>The image the grader runs; build it with <see cref="BuildCommand"/>.</summary>
    public const string Image = "paxoslabs-sandbox:1";

    /// <summary>The test host's user id inside the container (the runner stays root there, so the host cannot touch results/).</summary>
    public const int HostUser = 61_000;

    public const string Cpus = "2";

    public const string Memory = "4g";

    /// <summary>How the image is built, from the kit root.</summary>
    public static string BuildCommand(string runtime) => $"{Path.GetFileName(runtime)} build -t {Image} {ImageFolder}";

    private static readonly Lazy<(string? Runtime, string? WhyNot)> Found = new(() => Probe(SandboxSupport.Which));

    /// <summary>The container runtime to use, or why there is none (found out once per process).</summary>
    public static (string? Runtime, string? WhyNot) Find() => Found.Value;

    /// <summary>Docker, else Podman, on PATH, answering, with the image built; else why not, with what to do.</summary>
    public static (string? Runtime, string? WhyNot) Probe(Func<string, string?> which)
    {
        var candidates = new[] { "docker", "podman" }.Select(which).OfType<string>().ToList();
        if (candidates.Count == 0)
        {
            return (null, "no container runtime: neither docker nor podman is on PATH; install one, or grade with --sandbox user (root on Linux) or auto");
        }

        var why = new List<string>();
        foreach (var runtime in candidates)
        {
            var name = Path.GetFileName(runtime);
            var info = ChildProcess.Run(runtime, ["info", "--format", "{{.ServerVersion}}"], "/", TimeSpan.FromSeconds(30));
            if (info.ExitCode != 0 || info.TimedOut)
            {
                why.Add($"{name} does not answer ({FirstLine(info.Output, info.TimedOut)})");
                continue;
            }

            var image = ChildProcess.Run(runtime, ["image", "inspect", "--format", "{{.Id}}", Image], "/", TimeSpan.FromSeconds(30));
            if (image.ExitCode != 0 || image.TimedOut)
            {
                why.Add($"{name} has no image {Image}: build it once with `{BuildCommand(runtime)}` in the kit");
                continue;
            }

            return (runtime, null);
        }

        return (null, $"no usable container runtime: {string.Join("; ", why)}");
    }

    /// <summary>
    /// The <c>run</c> arguments of a container for one run: its name (to kill it), no network,
    /// limits, a read-only root with a fresh /tmp, the run's folder at its own path (so the run
    /// settings' paths hold inside), and then <paramref name="command"/>.
    /// </summary>
    public static IReadOnlyList<string> RunArguments(string name, string runFolder, IReadOnlyList<string> command) =>
    [
        "run", "--rm", "--name", name,
        "--network", "none",
        "--cpus", Cpus, "--memory", Memory, "--memory-swap", Memory,
        "--pids-limit", TestSandbox.ProcessLimit.ToString(CultureInfo.InvariantCulture),
        "--read-only", "--tmpfs", "/tmp:rw,exec,mode=1777",
        // The runner (root in the container) may write results/ and hand work/ to the host user; the host, dropped to that user, may do neither.
        "--cap-drop", "ALL", "--cap-add", "SETUID", "--cap-add", "SETGID", "--cap-add", "CHOWN", "--cap-add", "FOWNER", "--cap-add", "DAC_OVERRIDE", "--cap-add", "KILL",
        "--security-opt", "no-new-privileges",
        "--env", "HOME=/tmp", "--env", "DOTNET_CLI_HOME=/tmp", "--env", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "--env", "DOTNET_NOLOGO=1", "--env", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1",
        "--volume", $"{runFolder}:{runFolder}",
        "--volume", $"{Path.Combine(runFolder, "tests")}:{Path.Combine(runFolder, "tests")}:ro",
        "--workdir", Path.Combine(runFolder, "results"),
        Image,
        .. command,
    ];

    /// <summary>
    /// The host script inside the container: the runner (root there) starts the test host through it;
    /// it gives work/ to <see cref="HostUser"/> and starts dotnet as that user, with no way back and a
    /// bound on its processes. The container is the view: nothing of the kit is in it.
    /// </summary>
    public static string HostScript(string run)
    {
        var work = Path.Combine(run, "work");
        var user = HostUser.ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder();
        script.AppendLine("#!/bin/sh");
        script.AppendLine("# Written by the grader for one run of the hidden tests in a container: starts the test host.");
        script.AppendLine("set -e");
        script.AppendLine($"install -d -o {user} -g {user} -m 0700 {Quote(work)}");
        script.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"exec prlimit --nproc={TestSandbox.ProcessLimit}:{TestSandbox.ProcessLimit} -- setpriv --reuid={user} --regid={user} --clear-groups --no-new-privs -- env -C {Quote(work)} HOME={Quote(work)} DOTNET_CLI_HOME={Quote(work)} TMPDIR=/tmp dotnet \"$@\""));
        return script.ToString();
    }

    /// <summary>Kills the run's container (it removes itself); true when one was still running.</summary>
    public static bool Kill(string runtime, string name) =>
        ChildProcess.Run(runtime, ["kill", name], "/", TimeSpan.FromSeconds(60)).ExitCode == 0;

    private static string FirstLine(IReadOnlyList<string> output, bool timedOut) =>
        timedOut ? "no answer within 30 s" : output.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no output";

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
