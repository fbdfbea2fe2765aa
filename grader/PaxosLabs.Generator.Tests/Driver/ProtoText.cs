namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>Small helpers to write test protos and find lines in them.</summary>
internal static class ProtoText
{
    /// <summary>A proto3 file of package "diag" with messages Req and Reply, then <paramref name="body"/>.</summary>
    public static string Diag(string body) => $$"""
        syntax = "proto3";
        package diag;
        import "gorums.proto";

        message Req {}
        message Reply {}

        {{body}}
        """;

    /// <summary>The 0-based line of the first line containing <paramref name="marker"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"test bug: '{marker}' is not in the proto");
        return index;
    }

    /// <summary>The 0-based column of <paramref name="marker"/> on its line.</summary>
    public static int ColumnOf(string text, string marker) =>
        text.Split('\n')[LineOf(text, marker)].IndexOf(marker, StringComparison.Ordinal);
}
