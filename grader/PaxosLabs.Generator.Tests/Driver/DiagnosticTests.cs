using Microsoft.CodeAnalysis;

namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>Each GORUMS diagnostic: its id, the .proto path, the line it points at and the rpc it names.</summary>
public sealed class DiagnosticTests
{
    private const string Path = "/protos/diag.proto";

    private static Diagnostic SingleError(string proto, string id, string marker, string rpc)
    {
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(Path, span.Path);
        Assert.Equal(ProtoText.LineOf(proto, marker), span.StartLinePosition.Line);
        Assert.Contains($"'{rpc}'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return diagnostic;
    }

    [Fact]
    public void An_rpc_without_a_call_type_is_GORUMS001()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Good(Req) returns (Reply) { option (gorums.quorumcall) = true; }
              rpc Bare(Req) returns (Reply);
            }
            """);
        var diagnostic = SingleError(proto, "GORUMS001", "rpc Bare", "Bare");
        Assert.Equal(ProtoText.ColumnOf(proto, "Bare"), diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void Two_call_types_are_GORUMS002()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Both(Req) returns (Reply) {
                option (gorums.quorumcall) = true;
                option (gorums.multicast) = true;
              }
            }
            """);
        var message = SingleError(proto, "GORUMS002", "gorums.multicast", "Both").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("quorumcall, multicast", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_on_an_annotated_rpc_is_GORUMS003_at_the_keyword()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Flow(stream Req) returns (Reply) { option (gorums.quorumcall) = true; }
            }
            """);
        var diagnostic = SingleError(proto, "GORUMS003", "rpc Flow", "Flow");
        Assert.Equal(ProtoText.ColumnOf(proto, "stream"), diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }

    [Fact]
    public void Stream_on_an_unannotated_service_is_left_to_grpc()
    {
        var proto = ProtoText.Diag("""
            service Streams {
              rpc Flow(stream Req) returns (stream Reply);
            }
            """);
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void Custom_return_type_on_a_multicast_is_GORUMS004()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Send(Req) returns (Reply) {
                option (gorums.multicast) = true;
                option (gorums.custom_return_type) = "Reply";
              }
            }
            """);
        SingleError(proto, "GORUMS004", "custom_return_type", "Send");
    }

    [Fact]
    public void Custom_return_type_on_a_unicast_is_GORUMS004()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Tell(Req) returns (Reply) {
                option (gorums.unicast) = true;
                option (gorums.custom_return_type) = "Reply";
              }
            }
            """);
        SingleError(proto, "GORUMS004", "custom_return_type", "Tell");
    }

    [Fact]
    public void Per_node_arg_on_a_unicast_is_GORUMS005()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Tell(Req) returns (Reply) {
                option (gorums.unicast) = true;
                option (gorums.per_node_arg) = true;
              }
            }
            """);
        SingleError(proto, "GORUMS005", "per_node_arg", "Tell");
    }

    [Fact]
    public void An_unknown_request_type_is_GORUMS006_at_the_type()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(
                Missing) returns (Reply) { option (gorums.quorumcall) = true; }
            }
            """);
        var diagnostic = SingleError(proto, "GORUMS006", "Missing", "Read");
        Assert.Contains("'Missing'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_custom_return_type_is_GORUMS006_at_the_option()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(Req) returns (Reply) {
                option (gorums.quorumcall) = true;
                option (gorums.custom_return_type) = "Nope";
              }
            }
            """);
        SingleError(proto, "GORUMS006", "Nope", "Read");
    }

    [Fact]
    public void A_type_from_a_file_that_is_not_imported_is_GORUMS006_with_a_hint()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(other.Thing) returns (Reply) { option (gorums.quorumcall) = true; }
            }
            """);
        var other = new ProtoInput("/protos/other.proto", "syntax = \"proto3\"; package other; message Thing {}", Generate: false);
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto), other);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("GORUMS006", diagnostic.Id);
        Assert.Contains("other.proto, which this file does not import", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_gorums_option_is_GORUMS007()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(Req) returns (Reply) {
                option (gorums.quorumcall) = true;
                option (gorums.quorumcal) = true;
              }
            }
            """);
        SingleError(proto, "GORUMS007", "gorums.quorumcal)", "Read");
    }

    [Fact]
    public void Other_options_are_ignored()
    {
        var proto = ProtoText.Diag("""
            service S {
              option deprecated = true;
              rpc Read(Req) returns (Reply) {
                option deprecated = true;
                option (other.flag) = { a: 1 };
                option (gorums.quorumcall) = true;
              }
            }
            """);
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto));
        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("message Broken { string a = 1 }", "message Broken", "expected ';'")]
    [InlineData("service S { rpc Read(Req) returns Reply; }", "returns Reply", "expected '('")]
    [InlineData("message M {}\n/* never closed", "/* never", "never closed")]
    [InlineData("option x = \"open;", "\"open", "never closed")]
    [InlineData("message M { int32 a = 1; } #", "#", "unexpected character")]
    [InlineData("service S {\nrpc Read(Req) returns (Reply) {\noption (gorums.quorumcall) = true;\n}", "<end>", "'rpc', 'option' or '}'")]
    public void A_syntax_error_is_GORUMS008_and_nothing_is_generated(string body, string marker, string expected)
    {
        var proto = ProtoText.Diag(body);
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("GORUMS008", diagnostic.Id);
        Assert.Equal(Path, diagnostic.Location.GetLineSpan().Path);
        var line = marker == "<end>" ? proto.Split('\n').Length - 1 : ProtoText.LineOf(proto, marker);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(expected, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void A_non_boolean_value_is_GORUMS009()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(Req) returns (Reply) {
                option (gorums.quorumcall) = 1;
              }
            }
            """);
        SingleError(proto, "GORUMS009", "= 1", "Read");
    }

    [Fact]
    public void Async_on_a_multicast_is_GORUMS010()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Send(Req) returns (Reply) {
                option (gorums.multicast) = true;
                option (gorums.async) = true;
              }
            }
            """);
        SingleError(proto, "GORUMS010", "gorums.async", "Send");
    }

    [Fact]
    public void A_duplicate_rpc_is_GORUMS011()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Read(Req) returns (Reply) { option (gorums.quorumcall) = true; }
              rpc Read(Req) returns (Reply) { option (gorums.multicast) = true; } // second
            }
            """);
        SingleError(proto, "GORUMS011", "// second", "Read");
    }

    [Fact]
    public void An_rpc_with_an_error_is_left_out_and_the_rest_is_generated()
    {
        var proto = ProtoText.Diag("""
            service S {
              rpc Good(Req) returns (Reply) { option (gorums.quorumcall) = true; }
              rpc Bad(Req) returns (Missing) { option (gorums.quorumcall) = true; }
            }
            """);
        var run = GeneratorHarness.Run(new ProtoInput(Path, proto));
        Assert.Equal("GORUMS006", Assert.Single(run.Diagnostics).Id);
        var source = run.Source("diag.proto.S.g.cs");
        Assert.Contains("GoodAsync", source, StringComparison.Ordinal);
        Assert.DoesNotContain("BadAsync", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_several_files_each_point_at_their_own_file()
    {
        var first = ProtoText.Diag("service A { rpc X(Req) returns (Reply) { option (gorums.bogus) = true; } }");
        var second = ProtoText.Diag("service B { rpc Y(Req) returns (Reply) { option (gorums.unicast) = true; option (gorums.per_node_arg) = true; } }");
        var run = GeneratorHarness.Run(new ProtoInput("/p/first.proto", first), new ProtoInput("/p/second.proto", second.Replace("package diag", "package diag2", StringComparison.Ordinal)));
        Assert.Equal(2, run.Diagnostics.Length);
        Assert.Contains(run.Diagnostics, d => d.Id == "GORUMS007" && d.Location.GetLineSpan().Path == "/p/first.proto");
        Assert.Contains(run.Diagnostics, d => d.Id == "GORUMS005" && d.Location.GetLineSpan().Path == "/p/second.proto");
    }
}
