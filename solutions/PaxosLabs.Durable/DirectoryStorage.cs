using System.Runtime.InteropServices;

namespace PaxosLabs.Durable;

/// <summary>
/// Stable storage in a folder: <c>wal.log</c> and <c>snapshot.bin</c>. Appends gather in memory and
/// reach the file at the next <see cref="FlushLog"/>, which writes them and fsyncs, so an append
/// never waits for the disk. A file is replaced by writing a temporary file, fsyncing it, renaming
/// it over the old one and fsyncing the folder.
/// </summary>
public sealed partial class DirectoryStorage : IStableStorage, IDisposable
{
    private const string LogName = "wal.log";
    private const string SnapshotName = "snapshot.bin";

    private readonly Lock _pendingGate = new();
    private readonly Lock _fileGate = new();
    private readonly string _directory;
    private MemoryStream _pending = new();
    private MemoryStream _writing = new(); // the appends being written; then, emptied, the next pending buffer
    private FileStream _log;

    public DirectoryStorage(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        File.Delete(PathOf(LogName + ".tmp"));
        File.Delete(PathOf(SnapshotName + ".tmp"));
        _log = OpenLog();
    }

    public byte[] ReadLog()
    {
        lock (_fileGate)
        {
            _log.Position = 0;
            var bytes = new byte[_log.Length];
            _log.ReadExactly(bytes);
            return bytes;
        }
    }

    public void AppendLog(ReadOnlySpan<byte> bytes)
    {
        lock (_pendingGate)
        {
            _pending.Write(bytes);
        }
    }

    public void FlushLog()
    {
        lock (_fileGate)
        {
            var chunk = TakePending();
            _log.Write(chunk.GetBuffer(), 0, (int)chunk.Length);
            _log.Flush(flushToDisk: true);
        }
    }

    public void TruncateLog(long length)
    {
        lock (_fileGate)
        {
            TakePending();
            _log.SetLength(length);
            _log.Position = length;
            _log.Flush(flushToDisk: true);
        }
    }

    public void ReplaceLog(ReadOnlySpan<byte> bytes)
    {
        lock (_fileGate)
        {
            TakePending(); // what was pending is in the new content, or superseded by it
            _log.Dispose();
            Replace(LogName, bytes);
            _log = OpenLog();
        }
    }

    public byte[]? ReadSnapshot()
    {
        var path = PathOf(SnapshotName);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void ReplaceSnapshot(ReadOnlySpan<byte> bytes) => Replace(SnapshotName, bytes);

    public void Dispose()
    {
        lock (_fileGate)
        {
            _log.Dispose();
        }
    }

    private FileStream OpenLog()
    {
        // Unbuffered: a flush writes its chunk straight to the file, without a copy into a buffer of the stream's own.
        var log = new FileStream(PathOf(LogName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        log.Seek(0, SeekOrigin.End);
        return log;
    }

    /// <summary>The appends so far, valid until the next call (under <c>_fileGate</c>); appends go on into the other buffer.</summary>
    private MemoryStream TakePending()
    {
        lock (_pendingGate)
        {
            (_pending, _writing) = (_writing, _pending);
            _pending.SetLength(0);
            return _writing;
        }
    }

    private void Replace(string name, ReadOnlySpan<byte> bytes)
    {
        var temporary = PathOf(name + ".tmp");
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, PathOf(name), overwrite: true);
        SyncDirectory();
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>fsync of the folder, so a rename survives a power cut (.NET has no call for it; Linux and macOS have fsync on a folder).</summary>
    private void SyncDirectory()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(_directory, 0); // O_RDONLY
        if (fd < 0)
        {
            throw new IOException($"Cannot open the data folder {_directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of the data folder {_directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
