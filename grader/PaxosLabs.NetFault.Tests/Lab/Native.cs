using System.Runtime.InteropServices;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>The few libc calls the lab needs (Linux only).</summary>
internal static partial class Native
{
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Moves the calling thread into the namespace of <paramref name="fd"/>.</summary>
    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nstype);
}
