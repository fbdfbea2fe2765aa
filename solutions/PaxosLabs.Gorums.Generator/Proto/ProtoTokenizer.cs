using System.Text;
using PaxosLabs.Gorums.Generator.Diagnostics;

namespace PaxosLabs.Gorums.Generator.Proto;

/// <summary>
/// Splits proto text into identifiers, strings, numbers and symbols, skipping whitespace and
/// comments, and remembers where each token is. Malformed input raises <see cref="ProtoSyntaxException"/>.
/// </summary>
internal sealed class ProtoTokenizer
{
    private readonly string _path;
    private readonly string _text;
    private int _pos;
    private int _line;
    private int _lineStart;

    private ProtoTokenizer(string path, string text)
    {
        _path = path;
        _text = text;
    }

    public static List<Token> Tokenize(string path, string text)
    {
        var tokenizer = new ProtoTokenizer(path, text);
        var tokens = new List<Token>();
        Token token;
        do
        {
            token = tokenizer.Next();
            tokens.Add(token);
        }
        while (token.Kind != TokenKind.EndOfFile);

        return tokens;
    }

    private Token Next()
    {
        SkipTrivia();
        var start = _pos;
        var startLine = _line;
        var startColumn = _pos - _lineStart;
        if (_pos >= _text.Length)
        {
            return Make(TokenKind.EndOfFile, string.Empty, start, startLine, startColumn);
        }

        var c = _text[_pos];
        if (IsLetter(c))
        {
            while (_pos < _text.Length && (IsLetter(_text[_pos]) || IsDigit(_text[_pos])))
            {
                _pos++;
            }

            return Make(TokenKind.Identifier, _text.Substring(start, _pos - start), start, startLine, startColumn);
        }

        if (IsDigit(c) || (c == '.' && _pos + 1 < _text.Length && IsDigit(_text[_pos + 1])))
        {
            return ReadNumber(start, startLine, startColumn);
        }

        if (c is '"' or '\'')
        {
            return ReadString(c, start, startLine, startColumn);
        }

        if ("{}()[]<>;,=.-+:/".IndexOf(c) >= 0)
        {
            _pos++;
            return Make(TokenKind.Symbol, c.ToString(), start, startLine, startColumn);
        }

        throw Error($"unexpected character '{c}'", start, startLine, startColumn, 1);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var start = _pos;
        var startLine = _line;
        var startColumn = _pos - _lineStart;
        _pos += 2;
        while (_pos < _text.Length)
        {
            if (_text[_pos] == '*' && Peek(1) == '/')
            {
                _pos += 2;
                return;
            }

            if (_text[_pos] == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }

        throw Error("a /* comment is never closed", start, startLine, startColumn, 2);
    }

    private Token ReadNumber(int start, int line, int column)
    {
        // Decimal, hex, octal and float literals; the exact value never matters to the generator.
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            var exponentSign = (c is '+' or '-') && (_text[_pos - 1] is 'e' or 'E') && !_text.Substring(start, _pos - start).StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (!(IsLetter(c) || IsDigit(c) || c == '.' || exponentSign))
            {
                break;
            }

            _pos++;
        }

        return Make(TokenKind.Number, _text.Substring(start, _pos - start), start, line, column);
    }

    private Token ReadString(char quote, int start, int line, int column)
    {
        var value = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw Error("a string is never closed", start, line, column, _pos - start);
            }

            var c = _text[_pos++];
            if (c == quote)
            {
                return Make(TokenKind.String, value.ToString(), start, line, column);
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("a string is never closed", start, line, column, _pos - start);
            }

            var escape = _text[_pos++];
            value.Append(escape switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'a' => '\a',
                'b' => '\b',
                'f' => '\f',
                'v' => '\v',
                '0' => '\0',
                _ => escape, // \\, \", \' and escapes the generator never needs decoded
            });
        }
    }

    private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private Token Make(TokenKind kind, string text, int start, int line, int column) =>
        new(kind, text, new SourceLocation(_path, start, _pos - start, line, column, line, column + (_pos - start)));

    private ProtoSyntaxException Error(string message, int start, int line, int column, int length) =>
        new(message, new SourceLocation(_path, start, length, line, column, line, column + length));

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
}

/// <summary>A place where the tokenizer or the parser cannot go on.</summary>
internal sealed class ProtoSyntaxException(string message, SourceLocation location) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}
