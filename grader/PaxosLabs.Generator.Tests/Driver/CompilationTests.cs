using Microsoft.CodeAnalysis;

namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>
/// The generated code compiles cleanly: nullable on, every warning an error and XML documentation
/// checked; and the pipeline reuses its work when a change does not matter to it.
/// </summary>
public sealed class CompilationTests
{
    // The messages of protos/kitsample.proto, whose C# classes are in this test assembly.
    private const string KitSample = """
        syntax = "proto3";
        package kitsample;
        option csharp_namespace = "PaxosLabs.Generator.Tests.Sample";
        message Value { string text = 1; int64 timestamp = 2; }
        message ReadRequest { string key = 1; }
        message Report { message Entry { uint32 node = 1; string key = 2; } repeated Entry entries = 1; }
        """;

    private const string Api = """
        syntax = "proto3";
        package compiled;
        option csharp_namespace = "Compiled.Api";
        import "gorums.proto";
        import "kitsample.proto";
        import "google/protobuf/empty.proto";

        service Everything {
          rpc Read(kitsample.ReadRequest) returns (kitsample.Value) { option (gorums.quorumcall) = true; }
          rpc Collect(kitsample.ReadRequest) returns (kitsample.Report.Entry) {
            option (gorums.quorumcall) = true;
            option (gorums.async) = true;
            option (gorums.custom_return_type) = "kitsample.Report";
            option (gorums.per_node_arg) = true;
          }
          rpc Watch(kitsample.ReadRequest) returns (kitsample.Value) {
            option (gorums.correctable) = true;
            option (gorums.per_node_arg) = true;
          }
          rpc Commit(kitsample.Value) returns (google.protobuf.Empty) { option (gorums.multicast) = true; }
          rpc CommitEach(kitsample.Value) returns (google.protobuf.Empty) {
            option (gorums.multicast) = true;
            option (gorums.per_node_arg) = true;
          }
          rpc Notify(kitsample.Value) returns (google.protobuf.Empty) { option (gorums.unicast) = true; }
        }

        service OneWayOnly {
          rpc Commit(kitsample.Value) returns (google.protobuf.Empty) { option (gorums.multicast) = true; }
        }
        """;

    [Fact]
    public void The_generated_api_compiles_without_warnings_and_with_complete_documentation()
    {
        var run = GeneratorHarness.Run(new ProtoInput("/protos/api.proto", Api), new ProtoInput("/protos/kitsample.proto", KitSample, Generate: false));
        Assert.Empty(run.Diagnostics);
        Assert.Equal(["api.proto.Everything.g.cs", "api.proto.OneWayOnly.g.cs"], run.HintNames.Order());
        var problems = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void An_unrelated_change_in_an_imported_file_reuses_the_generated_output()
    {
        var api = new ProtoInput("/protos/api.proto", Api);
        var first = GeneratorHarness.Run([api, new ProtoInput("/protos/kitsample.proto", KitSample, Generate: false)], trackSteps: true);
        var second = GeneratorHarness.Rerun(first, new ProtoInput("/protos/kitsample.proto", KitSample + "\n// a comment changes nothing\n", Generate: false));

        var outputs = second.Result.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void A_relevant_change_regenerates()
    {
        var api = new ProtoInput("/protos/api.proto", Api);
        var first = GeneratorHarness.Run([api, new ProtoInput("/protos/kitsample.proto", KitSample, Generate: false)], trackSteps: true);
        var second = GeneratorHarness.Rerun(first, api with { Text = Api.Replace("rpc Notify", "rpc Tell", StringComparison.Ordinal) });

        Assert.Contains("TellAsync", second.Source("api.proto.Everything.g.cs"), StringComparison.Ordinal);
        Assert.Equal("OneWayOnly", second.HintNames.Single(h => h.Contains("OneWayOnly", StringComparison.Ordinal)).Split('.')[2]);
    }
}
