namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>The generator never fails with an exception, whatever half-written proto it is given.</summary>
public sealed class RobustnessTests
{
    private const string Proto = """
        syntax = "proto3";
        package robust.pkg;
        option csharp_namespace = "Robust.Pkg";
        import public "gorums.proto";
        import "google/protobuf/empty.proto";

        /* A block comment
           over two lines. */
        message Req { string key = 1 [deprecated = true]; map<string, int32> m = 2; oneof o { int32 a = 3; } }
        message Reply { message Part { enum E { X = 0; } E e = 1; } repeated Part parts = 1; reserved 9, 10 to 12; }
        enum Top { TOP_ZERO = 0; }

        service S {
          option deprecated = true;
          rpc Read(Req) returns (Reply) { option (gorums.quorumcall) = true; option (gorums.custom_return_type) = "Reply.Part"; }
          rpc Send(.robust.pkg.Req) returns (google.protobuf.Empty) { option (gorums.multicast) = true; option (gorums.per_node_arg) = false; };
          rpc Tell(Req) returns (Reply) { option (gorums.unicast) = true; option (other.opt) = { a: -1.5e3 b: "x" 'y' }; }
          rpc Bare(Req) returns (Reply);
        }
        """;

    [Fact]
    public void Every_prefix_of_a_proto_gives_diagnostics_not_exceptions()
    {
        for (var length = 0; length <= Proto.Length; length++)
        {
            var run = GeneratorHarness.Run(new ProtoInput("/p/robust.proto", Proto[..length]));
            Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "GORUMS099" || d.Id.StartsWith("CS", StringComparison.Ordinal));
            Assert.All(run.Diagnostics, d => Assert.StartsWith("GORUMS", d.Id, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_full_proto_reports_only_the_rpc_without_call_type()
    {
        var run = GeneratorHarness.Run(new ProtoInput("/p/robust.proto", Proto));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("GORUMS001", diagnostic.Id);
        Assert.Contains("(global::Robust.Pkg.Reply.Types.Part? Result, bool Done) ReadQF(", run.Source("robust.proto.S.g.cs"), StringComparison.Ordinal);
    }
}
