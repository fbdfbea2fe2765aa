using System.Text;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// A folder in which a workflow's bash runs against fake <c>dotnet</c> and <c>sudo</c> commands, so a
/// test can see what the script would run and how it judges the results, without a build.
/// </summary>
/// <remarks>
/// The fake <c>dotnet</c> appends its arguments as one line to <see cref="Calls"/>. For
/// <c>dotnet test &lt;project&gt; … --logger trx;LogFileName=F --results-directory D</c> it reads the
/// variable <c>FAKE_&lt;project folder name, dots as _&gt;</c> = "executed passed exit" and writes
/// D/F with those counts (no file when executed is <c>none</c>), then exits with exit. For any other
/// command it makes the folder after <c>--out</c> and exits 0. The fake <c>sudo</c> drops its
/// options, records "sudo" and runs the rest.
/// </remarks>
internal sealed class ScriptBench : IDisposable
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        printf '%s\n' "$*" >> "$FAKE_CALLS"
        if [ "$1" = test ]; then
          spec_name="FAKE_$(basename "$2" | tr '.-' '__')"
          read -r executed passed code <<< "${!spec_name}"
          while [ "$#" -gt 0 ]; do
            case "$1" in
              --logger) file="${2#trx;LogFileName=}"; shift ;;
              --results-directory) folder="$2"; shift ;;
            esac
            shift
          done
          if [ "$executed" != none ]; then
            mkdir -p "$folder"
            failed=$((executed - passed))
            printf '<?xml version="1.0" encoding="utf-8"?>\n<TestRun>\n  <ResultSummary outcome="Completed">\n    <Counters total="%s" executed="%s" passed="%s" failed="%s" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="7" notRunnable="0" notExecuted="9" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />\n  </ResultSummary>\n</TestRun>\n' \
              "$executed" "$executed" "$passed" "$failed" > "$folder/$file"
          fi
          exit "$code"
        fi
        while [ "$#" -gt 0 ]; do
          if [ "$1" = --out ]; then mkdir -p "$2"; fi
          shift
        done
        exit 0
        """;

    private const string FakeSudo = """
        #!/usr/bin/env bash
        printf 'sudo\n' >> "$FAKE_CALLS"
        while [ "$#" -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done
        exec "$@"
        """;

    private readonly TestTree _tree = new();

    public ScriptBench()
    {
        // bash finds the fakes by their execute bit
        Executable.Write(Path.Combine(Folder, "bin/dotnet"), FakeDotnet);
        Executable.Write(Path.Combine(Folder, "bin/sudo"), FakeSudo);
    }

    /// <summary>The working folder of the scripts; the fakes are in its bin/.</summary>
    public string Folder => Path.Combine(_tree.Root, "work");

    /// <summary>The fake commands' calls, one line each, in order.</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(CallsFile) ? File.ReadAllText(CallsFile).TrimEnd('\n').Split('\n') : [];

    private string CallsFile => Path.Combine(_tree.Root, "calls.txt");

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Folder, relative));

    public bool Exists(string relative) => Path.Exists(Path.Combine(Folder, relative));

    /// <summary>Runs a script with bash in <see cref="Folder"/>, the fakes first on PATH, with these variables.</summary>
    public ChildResult Bash(string script, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var file = Path.Combine(_tree.Root, "script-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(file, script.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PATH"] = Path.Combine(Folder, "bin") + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_CALLS"] = CallsFile,
        };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return ChildProcess.Run("bash", [file, .. arguments], Folder, TimeSpan.FromSeconds(60), environment: environment);
    }

    public void Dispose() => _tree.Dispose();
}
