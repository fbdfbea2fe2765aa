using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace PaxosLabs.Gorums.Generator.Diagnostics;

/// <summary>
/// A place in a .proto file: character offsets and 0-based line/column. A plain value (unlike
/// <see cref="Location"/>), so models that hold it stay comparable in the incremental pipeline.
/// </summary>
internal sealed record SourceLocation(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() =>
        Location.Create(
            Path,
            new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));

    /// <summary>The span from the start of this location to the end of another.</summary>
    public SourceLocation To(SourceLocation end) =>
        this with { Length = end.Start + end.Length - Start, EndLine = end.EndLine, EndColumn = end.EndColumn };
}
