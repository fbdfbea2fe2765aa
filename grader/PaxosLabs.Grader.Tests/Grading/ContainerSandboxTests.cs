using System.Runtime.Versioning;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>
/// <c>--sandbox container</c>: finding a runtime (with fake docker programs that answer as a stopped
/// daemon, a daemon without the image, and a working one), and the container each run gets.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ContainerSandboxTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>A fake runtime: <c>info</c> and <c>image inspect</c> answer as given.</summary>
    private string Fake(string name, bool daemon, bool image)
    {
        var path = Path.Combine(_tree.Root, name, "docker");
        Executable.Write(path, $"""
            #!/bin/sh
            case "$1" in
              info) {(daemon ? "echo 28.2.2; exit 0" : "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1")} ;;
              image) {(image ? "echo sha256:abc; exit 0" : "echo 'Error: No such image: paxoslabs-sandbox:1' >&2; exit 1")} ;;
            esac
            exit 2

            """);
        return path;
    }

    [Fact]
    public void Without_docker_or_podman_the_grader_says_what_to_do()
    {
        var (runtime, whyNot) = ContainerSandbox.Probe(_ => null);

        Assert.Null(runtime);
        Assert.Equal("no container runtime: neither docker nor podman is on PATH; install one, or grade with --sandbox user (root on Linux) or auto", whyNot);
    }

    [Fact]
    public void A_daemon_that_does_not_answer_is_named_with_its_own_words()
    {
        var docker = Fake("stopped", daemon: false, image: false);

        var (runtime, whyNot) = ContainerSandbox.Probe(p => p == "docker" ? docker : null);

        Assert.Null(runtime);
        Assert.Equal("no usable container runtime: docker does not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?)", whyNot);
    }

    [Fact]
    public void A_runtime_without_the_image_says_how_to_build_it_and_the_next_runtime_is_tried()
    {
        var docker = Fake("noimage", daemon: true, image: false);
        var podman = Fake("ready", daemon: true, image: true);

        Assert.Equal(
            (null, "no usable container runtime: docker has no image paxoslabs-sandbox:1: build it once with `docker build -t paxoslabs-sandbox:1 grader/container` in the kit"),
            ContainerSandbox.Probe(p => p == "docker" ? docker : null));
        Assert.Equal((podman, null), ContainerSandbox.Probe(p => p == "docker" ? docker : p == "podman" ? podman : null));
    }

    [Fact]
    public void A_run_s_container_has_no_network_has_limits_a_read_only_root_and_only_the_run_s_folder()
    {
        var arguments = ContainerSandbox.RunArguments("paxoslabs-run-1", "/tmp/run", ["dotnet", "test", "/tmp/run/tests/T.dll"]);
        var text = string.Join(' ', arguments);

        Assert.StartsWith("run --rm --name paxoslabs-run-1 --network none ", text, StringComparison.Ordinal);
        Assert.Contains("--cpus 2 --memory 4g --memory-swap 4g --pids-limit 4096 --read-only --tmpfs /tmp:rw,exec,mode=1777 --cap-drop ALL", text, StringComparison.Ordinal);
        Assert.Contains("--security-opt no-new-privileges", text, StringComparison.Ordinal);
        Assert.Equal(["/tmp/run:/tmp/run", "/tmp/run/tests:/tmp/run/tests:ro"], arguments.Where((_, i) => i > 0 && arguments[i - 1] == "--volume"));
        Assert.EndsWith("paxoslabs-sandbox:1 dotnet test /tmp/run/tests/T.dll", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_the_container_the_test_host_runs_as_its_own_user_for_good()
    {
        var script = ContainerSandbox.HostScript("/tmp/run");

        Assert.Contains("install -d -o 61000 -g 61000 -m 0700 '/tmp/run/work'", script, StringComparison.Ordinal);
        Assert.Contains("prlimit --nproc=4096:4096 -- setpriv --reuid=61000 --regid=61000 --clear-groups --no-new-privs -- env -C '/tmp/run/work'", script, StringComparison.Ordinal);
        Assert.EndsWith("dotnet \"$@\"\n", script.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_the_container_sandbox_where_no_runtime_works_is_an_error_never_a_weaker_sandbox()
    {
        var error = Assert.Throws<GraderException>(() => SandboxSupport.Resolve(SandboxMode.Container, () => (null, "no container runtime: neither docker nor podman is on PATH")));

        Assert.Equal("--sandbox container is not possible here: no container runtime: neither docker nor podman is on PATH", error.Message);
        Assert.Equal((SandboxMode.Container, null), SandboxSupport.Resolve(SandboxMode.Container, () => ("/usr/bin/docker", null)));
    }
}
