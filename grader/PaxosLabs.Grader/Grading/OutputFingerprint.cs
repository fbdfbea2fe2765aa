using System.Security.Cryptography;
using System.Text;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// A hash of every file in a folder (names and contents). The grader takes one of the hidden tests'
/// build output after the build and compares before each stage, so code under test that rewrites the
/// test assembly during one stage cannot change what a later stage runs.
/// </summary>
public static class OutputFingerprint
{
    public static string Of(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(directory, "*", options).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, file) + "\0"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
