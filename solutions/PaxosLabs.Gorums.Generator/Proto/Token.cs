using PaxosLabs.Gorums.Generator.Diagnostics;

namespace PaxosLabs.Gorums.Generator.Proto;

internal enum TokenKind
{
    Identifier,
    String,
    Number,
    Symbol,
    EndOfFile,
}

/// <summary>
/// One token of a .proto file. For a string, <see cref="Text"/> is its decoded value; for the
/// others, the source text.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, SourceLocation Location)
{
    public bool Is(string symbolOrWord) => Kind is TokenKind.Symbol or TokenKind.Identifier && Text == symbolOrWord;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "the end of the file",
        TokenKind.String => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
