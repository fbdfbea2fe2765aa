namespace PaxosLabs.Grader.Handout;

/// <summary>The files of a handout that the kit does not have as such: they are written here.</summary>
public static class HandoutTexts
{
    /// <summary>
    /// Inserted at the top of the handout's Directory.Build.props. In the kit, code under a folder
    /// other than solutions/ or skeletons/ builds with warnings as errors, which a skeleton's stubs
    /// fail. Naming src/ as the implementation makes the kit's own rules treat it as a submission,
    /// exactly as the grader builds it, with its output in artifacts/src/.
    /// </summary>
    public const string PropsOverride = """
          <!--
            Handout: the code under src/ is built as the grader builds a submission (the warnings that
            stubs cause are silenced, other warnings are not errors), with its output in artifacts/src/.
          -->
          <PropertyGroup>
            <Impl Condition="'$(Impl)' == ''">src</Impl>
            <ImplKey Condition="'$(ImplKey)' == '' and '$(Impl)' == 'src'">src</ImplKey>
          </PropertyGroup>

        """;

    public const string GitIgnore = """
        artifacts/
        bin/
        obj/
        TestResults/
        *.trx
        .vs/
        .idea/
        *.user

        """;

    /// <summary>
    /// The command of each task's step in the classroom workflow (<see cref="ClassroomWorkflow"/>):
    /// runs the task's visible tests and succeeds only when at least one ran and every one that ran
    /// passed. A plain <c>dotnet test --filter Task=N.k</c> exits with 0 when no test matches, which
    /// would give a task's points for nothing. Plain bash, grep and sed, so it also runs on a
    /// student's Mac or in Git Bash; the counts come from the runner's TRX file, not from output.
    /// </summary>
    public const string TaskTestsScript = """
        #!/usr/bin/env bash
        # Runs the visible tests of one task, and succeeds only when at least one of them ran and every
        # one that ran passed. The "Autograding Tests" workflow gives a task its points when this ends
        # with exit code 0. Build first; then, for example:
        #   bash .github/classroom/run-task-tests.sh 1.4 src/tests/PaxosLabs.Stage1.Tests
        set -uo pipefail

        if [ "$#" -lt 2 ]; then
          echo "usage: $0 <task, e.g. 1.4> <test project>..." >&2
          exit 2
        fi

        task="$1"
        shift
        results="TestResults/task-$task"
        rm -rf "$results"

        # One count of the <Counters> element of a TRX file (0 when it is missing).
        count() {
          value="$(grep -o '<Counters [^>]*>' "$1" | head -n 1 | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p")"
          echo "${value:-0}"
        }

        failed=0
        ran=0
        passed=0
        for project in "$@"; do
          name="$(basename "$project")"
          if ! dotnet test "$project" --no-build --nologo --filter "Task=$task" \
              --logger "trx;LogFileName=$name.trx" --results-directory "$results"; then
            failed=1
          fi

          trx="$results/$name.trx"
          if [ ! -f "$trx" ]; then
            echo "task $task: $project wrote no test results"
            failed=1
            continue
          fi

          ran=$((ran + $(count "$trx" executed)))
          passed=$((passed + $(count "$trx" passed)))
        done

        if [ "$ran" -eq 0 ]; then
          echo "task $task: no visible test ran, so this task gets no points here"
          exit 1
        fi

        if [ "$failed" -ne 0 ] || [ "$passed" -ne "$ran" ]; then
          echo "task $task: $passed of $ran visible tests passed; the points need all of them"
          exit 1
        fi

        echo "task $task: all $ran visible tests passed"

        """;

    public const string Readme = """
        # PaxosLabs

        Four staged assignments that build a fault-tolerant replicated key-value store in C#: quorum
        calls, single-decree Paxos, failure and leader detection, and Multi-Paxos.

        Start with the [student guide](docs/student-guide.md), then
        [assignment 1](assignments/01-quorum-calls/README.md). You need the .NET 10 SDK. The rules of
        every stage are in [the protocol](docs/protocol.md): the assignment texts explain them, and
        where the two seem to differ, the protocol decides.

        ```sh
        dotnet build                                        # everything
        dotnet test                                         # every visible test (they fail until you solve the tasks)
        dotnet test src/tests/PaxosLabs.Stage1.Tests        # one stage
        dotnet test src/tests/PaxosLabs.Stage1.Tests --filter Task=1.4
        grep -rn "TODO(" src/                               # the tasks that are left
        ```

        | path | what |
        | --- | --- |
        | `src/` | the code: the framework, one project per stage, the runnable node, the visible tests (`src/tests/`) |
        | `protos/` | the `.proto` files; the typed APIs are generated from them |
        | `assignments/` | one text per stage: background, tasks, points, hints |
        | `docs/` | the student guide, and the protocol: the rules of every stage, cited as `protocol §N.k` |

        Only the files with `TODO(N.k)` regions are graded; changes anywhere else are ignored (see
        "What is graded" in the student guide). The workflow in `.github/workflows/classroom.yml`
        runs each task's visible tests on every push and shows their points: feedback, not your grade,
        which comes from the hidden tests the course staff run after the deadline.

        """;
}
