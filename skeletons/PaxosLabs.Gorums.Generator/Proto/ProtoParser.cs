using System.Text;
using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Proto;

/// <summary>
/// A recursive-descent reader for the parts of proto3 the generator needs: package, imports,
/// csharp_namespace, message names and services with their rpcs and options. Everything else
/// (fields, enums, extensions, reserved ranges) is skipped by balanced braces.
/// </summary>
internal sealed partial class ProtoParser
{
    private readonly List<Token> _tokens;
    private readonly List<string> _imports = [];
    private readonly List<string> _messages = [];
    private readonly List<ServiceSyntax> _services = [];
    private string _package = string.Empty;
    private string? _csharpNamespace;
    private int _index;

    private ProtoParser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_index];

    /// <summary>Reads a file; a syntax error ends the reading and is returned with what was read before it.</summary>
    public static ProtoFileSyntax Parse(string path, string text)
    {
        ProtoParser? parser = null;
        DiagnosticInfo? error = null;
        try
        {
            parser = new ProtoParser(ProtoTokenizer.Tokenize(path, text));
            parser.ParseFile();
        }
        catch (ProtoSyntaxException e)
        {
            error = DiagnosticInfo.Create(GorumsDiagnostics.SyntaxError, e.Location, Naming.FileName(path), e.Message);
        }

        return new ProtoFileSyntax(
            path,
            parser?._package ?? string.Empty,
            parser?._csharpNamespace,
            (parser?._imports ?? []).ToEquatableArray(),
            (parser?._messages ?? []).ToEquatableArray(),
            (parser?._services ?? []).ToEquatableArray(),
            error);
    }

    private void ParseFile()
    {
        while (Current.Kind != TokenKind.EndOfFile)
        {
            var keyword = Current;
            if (Accept(";"))
            {
                continue;
            }

            switch (keyword.Kind == TokenKind.Identifier ? keyword.Text : null)
            {
                case "syntax":
                case "edition":
                    Advance();
                    Expect("=");
                    ExpectString();
                    Expect(";");
                    break;
                case "package":
                    Advance();
                    _package = ParseFullIdentifier(allowLeadingDot: false).Text;
                    Expect(";");
                    break;
                case "import":
                    Advance();
                    _ = Accept("public") || Accept("weak");
                    _imports.Add(ExpectString().Text);
                    Expect(";");
                    break;
                case "option":
                    var option = ParseOption();
                    if (!option.IsExtension && option.Name == "csharp_namespace" && option.Value.Kind == OptionValueKind.String)
                    {
                        _csharpNamespace = option.Value.Text;
                    }

                    break;
                case "message":
                    Advance();
                    ParseMessage(string.Empty);
                    break;
                case "enum":
                case "extend":
                    Advance();
                    SkipDeclaration();
                    break;
                case "service":
                    Advance();
                    _services.Add(ParseService());
                    break;
                default:
                    throw Unexpected("a top-level declaration (syntax, package, import, option, message, enum, service or extend)");
            }
        }
    }

    private void ParseMessage(string outer)
    {
        var name = ExpectIdentifier().Text;
        var path = outer.Length == 0 ? name : $"{outer}.{name}";
        _messages.Add(path);
        Expect("{");
        while (!Accept("}"))
        {
            if (Current.Kind == TokenKind.EndOfFile)
            {
                throw Unexpected($"'}}' to close message {name}");
            }

            if (Current.Is("message") && _tokens[_index + 1].Kind == TokenKind.Identifier)
            {
                Advance();
                ParseMessage(path);
            }
            else if ((Current.Is("enum") || Current.Is("oneof") || Current.Is("extend")) && _tokens[_index + 1].Kind == TokenKind.Identifier)
            {
                Advance();
                SkipDeclaration();
            }
            else
            {
                SkipStatement();
            }
        }
    }

    private ServiceSyntax ParseService()
    {
        var name = ExpectIdentifier();
        var rpcs = new List<RpcSyntax>();
        Expect("{");
        while (!Accept("}"))
        {
            if (Accept(";"))
            {
                continue;
            }

            if (Current.Is("option"))
            {
                ParseOption();
            }
            else if (Accept("rpc"))
            {
                rpcs.Add(ParseRpc());
            }
            else
            {
                throw Unexpected($"'rpc', 'option' or '}}' in service {name.Text}");
            }
        }

        return new ServiceSyntax(name.Text, name.Location, rpcs.ToEquatableArray());
    }

    private RpcSyntax ParseRpc()
    {
        var name = ExpectIdentifier();
        var streams = new List<SourceLocation>();
        var request = ParseRpcType(streams);
        Expect("returns");
        var reply = ParseRpcType(streams);
        var options = new List<OptionSyntax>();
        if (Accept("{"))
        {
            while (!Accept("}"))
            {
                if (Accept(";"))
                {
                    continue;
                }

                if (!Current.Is("option"))
                {
                    throw Unexpected($"'option' or '}}' in rpc {name.Text}");
                }

                options.Add(ParseOption());
            }

            Accept(";");
        }
        else
        {
            Expect(";");
        }

        return new RpcSyntax(name.Text, name.Location, request, reply, streams.ToEquatableArray(), options.ToEquatableArray());
    }

    private TypeReference ParseRpcType(List<SourceLocation> streams)
    {
        Expect("(");
        if (Current.Is("stream") && _tokens[_index + 1].Kind == TokenKind.Identifier)
        {
            streams.Add(Current.Location);
            Advance();
        }

        var type = ParseFullIdentifier(allowLeadingDot: true);
        Expect(")");
        return new TypeReference(type.Text, type.Location);
    }

    /// <summary>option name = value; with name "csharp_namespace", "(gorums.quorumcall)" or "(a.b).c".</summary>
    private OptionSyntax ParseOption()
    {
        var start = Expect("option").Location;
        string name;
        bool isExtension;
        if (Accept("("))
        {
            name = ParseFullIdentifier(allowLeadingDot: true).Text.TrimStart('.');
            Expect(")");
            isExtension = true;
            while (Accept("."))
            {
                name += "." + ExpectIdentifier().Text;
                isExtension = false; // a field of an extension's message, not the extension itself
            }
        }
        else
        {
            name = ParseFullIdentifier(allowLeadingDot: false).Text;
            isExtension = false;
        }

        Expect("=");
        var value = ParseOptionValue();
        var end = Expect(";").Location;
        return new OptionSyntax(name, isExtension, value, start.To(end));
    }

    private OptionValue ParseOptionValue()
    {
        var first = Current;
        if (first.Kind == TokenKind.String)
        {
            var text = new StringBuilder();
            var last = first;
            while (Current.Kind == TokenKind.String)
            {
                last = Current;
                text.Append(Current.Text);
                Advance();
            }

            return new OptionValue(OptionValueKind.String, text.ToString(), first.Location.To(last.Location));
        }

        if (first.Is("{"))
        {
            SkipBalanced();
            return new OptionValue(OptionValueKind.Aggregate, "{...}", first.Location.To(_tokens[_index - 1].Location));
        }

        if (first.Is("-") || first.Is("+"))
        {
            Advance();
            var number = Current;
            if (number.Kind is not (TokenKind.Number or TokenKind.Identifier))
            {
                throw Unexpected("a number after the sign");
            }

            Advance();
            return new OptionValue(OptionValueKind.Number, first.Text + number.Text, first.Location.To(number.Location));
        }

        if (first.Kind == TokenKind.Number)
        {
            Advance();
            return new OptionValue(OptionValueKind.Number, first.Text, first.Location);
        }

        if (first.Kind == TokenKind.Identifier)
        {
            var identifier = ParseFullIdentifier(allowLeadingDot: false);
            return new OptionValue(OptionValueKind.Identifier, identifier.Text, identifier.Location);
        }

        throw Unexpected("an option value");
    }

    private (string Text, SourceLocation Location) ParseFullIdentifier(bool allowLeadingDot)
    {
        var start = Current.Location;
        var text = new StringBuilder();
        if (allowLeadingDot && Accept("."))
        {
            text.Append('.');
        }

        var last = ExpectIdentifier();
        text.Append(last.Text);
        while (Current.Is(".") && _tokens[_index + 1].Kind == TokenKind.Identifier)
        {
            Advance();
            last = ExpectIdentifier();
            text.Append('.').Append(last.Text);
        }

        return (text.ToString(), start.To(last.Location));
    }
}
