namespace PaxosLabs.Gorums.Generator.Proto;

/// <summary>The parser's moves over the token list: accept, expect, and skip what it does not need.</summary>
internal sealed partial class ProtoParser
{
    /// <summary>Skips a declaration with a block: "Name { ... }" (enum, oneof, extend).</summary>
    private void SkipDeclaration()
    {
        while (!Current.Is("{"))
        {
            if (Current.Kind == TokenKind.EndOfFile || Current.Is(";") || Current.Is("}"))
            {
                throw Unexpected("'{'");
            }

            Advance();
        }

        SkipBalanced();
    }

    /// <summary>Skips one statement of a message body: up to its ';', or a block it ends with.</summary>
    private void SkipStatement()
    {
        var start = Current;
        while (true)
        {
            if (Current.Kind == TokenKind.EndOfFile || Current.Is("}"))
            {
                throw new ProtoSyntaxException($"expected ';' to end the statement that starts with {start.Describe()}, found {Current.Describe()}", Current.Location);
            }

            if (Accept(";"))
            {
                return;
            }

            if (Current.Is("{"))
            {
                SkipBalanced();
                Accept(";");
                return;
            }

            Advance();
        }
    }

    /// <summary>Skips a '{ ... }' block with the blocks nested in it.</summary>
    private void SkipBalanced()
    {
        var open = Expect("{");
        var depth = 1;
        while (depth > 0)
        {
            if (Current.Kind == TokenKind.EndOfFile)
            {
                throw new ProtoSyntaxException("this '{' is never closed", open.Location);
            }

            if (Current.Is("{"))
            {
                depth++;
            }
            else if (Current.Is("}"))
            {
                depth--;
            }

            Advance();
        }
    }

    private void Advance()
    {
        if (Current.Kind != TokenKind.EndOfFile)
        {
            _index++;
        }
    }

    private bool Accept(string text)
    {
        if (Current.Kind is TokenKind.Symbol or TokenKind.Identifier && Current.Text == text)
        {
            Advance();
            return true;
        }

        return false;
    }

    private Token Expect(string text)
    {
        var token = Current;
        if (!Accept(text))
        {
            throw Unexpected($"'{text}'");
        }

        return token;
    }

    private Token ExpectIdentifier()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier)
        {
            throw Unexpected("a name");
        }

        Advance();
        return token;
    }

    private Token ExpectString()
    {
        var token = Current;
        if (token.Kind != TokenKind.String)
        {
            throw Unexpected("a quoted string");
        }

        Advance();
        return token;
    }

    private ProtoSyntaxException Unexpected(string expected) =>
        new($"expected {expected}, found {Current.Describe()}", Current.Location);
}
