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

    public const string Workflow = """
        # Runs the visible tests on every push. They fail until you have solved the tasks they check;
        # your grade comes from the hidden tests, which the course staff run.
        name: visible tests
        on:
          push:
          pull_request:
          workflow_dispatch:
        jobs:
          test:
            runs-on: ubuntu-latest
            timeout-minutes: 30
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  global-json-file: global.json
              - name: build
                run: dotnet build
              - name: visible tests
                run: dotnet test --no-build --logger trx --results-directory TestResults
              - name: keep the test results
                if: always()
                uses: actions/upload-artifact@v4
                with:
                  name: test-results
                  path: TestResults

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
        "What is graded" in the student guide). The workflow in `.github/workflows/test.yml` runs
        the visible tests on every push.

        """;
}
