namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>How message names in rpcs become C# types: packages, imports, nesting, well-known types.</summary>
public sealed class TypeResolutionTests
{
    private const string Shared = """
        syntax = "proto3";
        package paxoslabs.shared;
        option csharp_namespace = "Shared.Types";

        message State { string value = 1; }
        message Outer {
          message Inner {
            enum Kind { A = 0; }
            message Deepest { Kind kind = 1; }
          }
          oneof choice { string a = 1; Inner b = 2; }
          map<string, Inner> items = 3;
          reserved 4, 5;
        }
        """;

    private static string Generate(string service, params ProtoInput[] others)
    {
        var proto = $$"""
            syntax = "proto3";
            package paxoslabs.user_stage;
            import "gorums.proto";
            import "shared.proto";
            import "google/protobuf/empty.proto";
            import "google/protobuf/wrappers.proto";
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/duration.proto";

            message Local { message Nested {} }

            service Svc {
            {{service}}
            }
            """;
        ProtoInput[] inputs = [new("/protos/user.proto", proto), new("/protos/shared.proto", Shared, Generate: false), .. others];
        var run = GeneratorHarness.Run(inputs);
        Assert.Empty(run.Diagnostics);
        return run.Source("user.proto.Svc.g.cs");
    }

    private static string FieldType(string source, string rpc)
    {
        var line = source.Split('\n').Single(l => l.Contains($"> {rpc} =", StringComparison.Ordinal));
        return line.Trim()[("public static readonly ".Length)..line.Trim().LastIndexOf(' ')].Trim();
    }

    [Fact]
    public void A_package_qualified_name_resolves_to_the_other_files_csharp_namespace()
    {
        var source = Generate("rpc R(paxoslabs.shared.State) returns (.paxoslabs.shared.State) { option (gorums.quorumcall) = true; }");
        Assert.Equal("global::PaxosLabs.Gorums.RpcMethod<global::Shared.Types.State, global::Shared.Types.State> R", FieldType(source, "R"));
    }

    [Fact]
    public void A_partly_qualified_name_resolves_relative_to_the_enclosing_packages()
    {
        // From package paxoslabs.user_stage, "shared.State" is found as paxoslabs.shared.State.
        var source = Generate("rpc R(shared.State) returns (shared.Outer.Inner) { option (gorums.quorumcall) = true; }");
        Assert.Equal("global::PaxosLabs.Gorums.RpcMethod<global::Shared.Types.State, global::Shared.Types.Outer.Types.Inner> R", FieldType(source, "R"));
    }

    [Fact]
    public void Nested_messages_use_the_Types_classes_protoc_generates()
    {
        var source = Generate("rpc R(Local.Nested) returns (paxoslabs.shared.Outer.Inner.Deepest) { option (gorums.quorumcall) = true; }");
        Assert.Equal(
            "global::PaxosLabs.Gorums.RpcMethod<global::Paxoslabs.UserStage.Local.Types.Nested, global::Shared.Types.Outer.Types.Inner.Types.Deepest> R",
            FieldType(source, "R"));
    }

    [Fact]
    public void Without_csharp_namespace_the_namespace_is_the_package_in_PascalCase()
    {
        var source = Generate("rpc R(Local) returns (Local) { option (gorums.quorumcall) = true; }");
        Assert.Contains("namespace Paxoslabs.UserStage;", source, StringComparison.Ordinal);
        Assert.Contains("new(\"paxoslabs.user_stage.Svc/R\"", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Empty")]
    [InlineData("StringValue")]
    [InlineData("Int64Value")]
    [InlineData("UInt64Value")]
    [InlineData("BoolValue")]
    [InlineData("Timestamp")]
    [InlineData("Duration")]
    public void Well_known_types_map_to_Google_Protobuf(string name)
    {
        var source = Generate($"rpc R(google.protobuf.{name}) returns (.google.protobuf.{name}) {{ option (gorums.quorumcall) = true; }}");
        var type = $"global::Google.Protobuf.WellKnownTypes.{name}";
        Assert.Equal($"global::PaxosLabs.Gorums.RpcMethod<{type}, {type}> R", FieldType(source, "R"));
    }

    [Fact]
    public void A_custom_return_type_resolves_like_other_types()
    {
        var source = Generate("""rpc R(Local) returns (Local) { option (gorums.quorumcall) = true; option (gorums.custom_return_type) = "paxoslabs.shared.State"; }""");
        Assert.Contains("(global::Shared.Types.State? Result, bool Done) RQF(", source, StringComparison.Ordinal);
        Assert.Contains("global::System.Threading.Tasks.Task<global::Shared.Types.State> RAsync(", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_package_generates_into_the_global_namespace()
    {
        var proto = """
            syntax = "proto3";
            import "gorums.proto";
            message M {}
            service Root { rpc A(M) returns (M) { option (gorums.quorumcall) = true; } }
            """;
        var run = GeneratorHarness.Run(new ProtoInput("/p/root.proto", proto));
        var source = run.Source("root.proto.Root.g.cs");
        Assert.DoesNotContain("namespace", source, StringComparison.Ordinal);
        Assert.Contains("new(\"Root/A\", global::M.Parser, global::M.Parser)", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo.bar_baz", "Foo.BarBaz")]
    [InlineData("paxoslabs.storage", "Paxoslabs.Storage")]
    [InlineData("v1beta2.api", "V1Beta2.Api")]
    public void Namespaces_derive_from_packages_as_protoc_does(string package, string expected)
    {
        var proto = $$"""
            syntax = "proto3";
            package {{package}};
            import "gorums.proto";
            message M {}
            service S { rpc A(M) returns (M) { option (gorums.quorumcall) = true; } }
            """;
        var source = GeneratorHarness.Run(new ProtoInput("/p/ns.proto", proto)).Source("ns.proto.S.g.cs");
        Assert.Contains($"namespace {expected};", source, StringComparison.Ordinal);
        Assert.Contains($"global::{expected}.M.Parser", source, StringComparison.Ordinal);
    }

    [Fact]
    public void An_import_in_a_subfolder_is_matched_by_its_path()
    {
        var nested = new ProtoInput("/protos/sub/deep.proto", "syntax = \"proto3\"; package deep; option csharp_namespace = \"Deep\"; message D {}", Generate: false);
        var proto = """
            syntax = "proto3";
            package top;
            import "gorums.proto";
            import "sub/deep.proto";
            service T { rpc A(deep.D) returns (deep.D) { option (gorums.multicast) = true; } }
            """;
        var run = GeneratorHarness.Run(new ProtoInput("/protos/top.proto", proto), nested);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("global::Deep.D.Parser", run.Source("top.proto.T.g.cs"), StringComparison.Ordinal);
    }
}
