using System.Text;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests;

/// <summary>
/// Writes a script or a fake command that a test then executes. The file is written under another
/// name and installed with its execute bit by a child process (<c>install -m 0755</c>), so this
/// process never holds the executable open for writing: a process another test forks at that moment
/// would inherit the open file until it execs, and executing the file then fails with ETXTBSY
/// ("Text file busy").
/// </summary>
internal static class Executable
{
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var source = path + ".text-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(source, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        try
        {
            var install = ChildProcess.Run("install", ["-m", "0755", source, path], Path.GetDirectoryName(path)!, TimeSpan.FromSeconds(60));
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"install -m 0755 {source} {path} failed ({install.ExitCode}): {string.Join('\n', install.Output)}");
            }
        }
        finally
        {
            File.Delete(source);
        }
    }
}
