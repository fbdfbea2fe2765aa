using System.Security.Cryptography;
using System.Text;

namespace PaxosLabs.Grader.Handout;

/// <summary>
/// Writes a Visual Studio solution (<c>.sln</c>) for a list of SDK-style C# projects, with project
/// GUIDs derived from their paths so the same handout always gets the same file.
/// </summary>
public static class SolutionFileWriter
{
    private const string CSharpProject = "{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}";
    private static readonly string[] Configurations = ["Debug|Any CPU", "Release|Any CPU"];

    /// <param name="projects">Project paths relative to the solution's folder, with <c>/</c> separators.</param>
    public static string Write(IEnumerable<string> projects)
    {
        var list = projects.Order(StringComparer.Ordinal).Select(p => (Path: p, Guid: GuidOf(p))).ToList();
        var text = new StringBuilder();
        text.Append("\r\nMicrosoft Visual Studio Solution File, Format Version 12.00\r\n");
        text.Append("# Visual Studio Version 17\r\n");
        text.Append("VisualStudioVersion = 17.0.31903.59\r\n");
        text.Append("MinimumVisualStudioVersion = 10.0.40219.1\r\n");
        foreach (var (path, guid) in list)
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(path);
            text.Append($"Project(\"{CSharpProject}\") = \"{name}\", \"{path.Replace('/', '\\')}\", \"{guid}\"\r\nEndProject\r\n");
        }

        text.Append("Global\r\n");
        text.Append("\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\r\n");
        foreach (var configuration in Configurations)
        {
            text.Append($"\t\t{configuration} = {configuration}\r\n");
        }

        text.Append("\tEndGlobalSection\r\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\r\n");
        foreach (var (_, guid) in list)
        {
            foreach (var configuration in Configurations)
            {
                text.Append($"\t\t{guid}.{configuration}.ActiveCfg = {configuration}\r\n");
                text.Append($"\t\t{guid}.{configuration}.Build.0 = {configuration}\r\n");
            }
        }

        text.Append("\tEndGlobalSection\r\n");
        text.Append("\tGlobalSection(SolutionProperties) = preSolution\r\n\t\tHideSolutionNode = FALSE\r\n\tEndGlobalSection\r\n");
        text.Append("EndGlobal\r\n");
        return text.ToString();
    }

    /// <summary>A GUID made from the project's path (a name-based GUID, not a random one).</summary>
    public static string GuidOf(string path)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(path))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style, so it looks like what it is
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("B").ToUpperInvariant();
    }
}
