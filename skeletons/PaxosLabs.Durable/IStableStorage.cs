namespace PaxosLabs.Durable;

/// <summary>
/// A replica's stable storage: an append-only log file and a snapshot file. What was appended is on
/// disk only after <see cref="FlushLog"/> (an fsync); a crash may lose, or tear, what came after.
/// The replace operations are atomic and durable on return: after a crash the file holds either
/// the old content or the new one, never a mix.
/// </summary>
public interface IStableStorage
{
    /// <summary>The log as the disk holds it now, flushed or not (after a crash: what survived).</summary>
    byte[] ReadLog();

    /// <summary>Appends to the log; not durable until the next <see cref="FlushLog"/>.</summary>
    void AppendLog(ReadOnlySpan<byte> bytes);

    /// <summary>Makes everything appended so far durable (fsync).</summary>
    void FlushLog();

    /// <summary>Cuts the log to its first <paramref name="length"/> bytes; durable on return.</summary>
    void TruncateLog(long length);

    /// <summary>Replaces the whole log; atomic and durable on return.</summary>
    void ReplaceLog(ReadOnlySpan<byte> bytes);

    /// <summary>The snapshot file, or null when there is none.</summary>
    byte[]? ReadSnapshot();

    /// <summary>Replaces the snapshot file; atomic and durable on return.</summary>
    void ReplaceSnapshot(ReadOnlySpan<byte> bytes);
}

/// <summary>Stable storage holds something no correct replica could have written there (not a torn log tail, which recovery cuts off).</summary>
public sealed class CorruptStorageException(string message) : Exception(message);
