namespace PaxosLabs.Durable;

/// <summary>
/// Stable storage in memory, for tests and the simulator, with the faults of a real disk: a crash
/// (<see cref="Crash"/>) loses what was appended but not flushed, or keeps a torn part of it.
/// It outlives the replica that uses it, as a disk outlives a process.
/// </summary>
public sealed class MemoryStorage : IStableStorage
{
    private readonly Lock _gate = new();
    private List<byte> _log = [];
    private int _flushed;
    private byte[]? _snapshot;

    /// <summary>How many flushes (fsyncs) of the log there were.</summary>
    public int Flushes { get; private set; }

    /// <summary>How many bytes of the log a crash now would keep.</summary>
    public long FlushedLength
    {
        get
        {
            lock (_gate)
            {
                return _flushed;
            }
        }
    }

    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _log.Count;
            }
        }
    }

    public byte[] ReadLog()
    {
        lock (_gate)
        {
            return [.. _log];
        }
    }

    public void AppendLog(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _log.AddRange(bytes);
        }
    }

    public void FlushLog()
    {
        lock (_gate)
        {
            _flushed = _log.Count;
            Flushes++;
        }
    }

    public void TruncateLog(long length)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _log.Count);
            _log.RemoveRange((int)length, _log.Count - (int)length);
            _flushed = _log.Count;
            Flushes++;
        }
    }

    public void ReplaceLog(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _log = [.. bytes];
            _flushed = _log.Count;
        }
    }

    public byte[]? ReadSnapshot()
    {
        lock (_gate)
        {
            return _snapshot?.ToArray();
        }
    }

    public void ReplaceSnapshot(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _snapshot = bytes.ToArray();
        }
    }

    /// <summary>
    /// The machine crashes: what was not flushed is lost. With <paramref name="tear"/>, a random part
    /// of it survives instead, and half the time its last byte is garbage (a torn write). Returns
    /// what happened, for the trace.
    /// </summary>
    public string Crash(Random? tear = null)
    {
        lock (_gate)
        {
            var unflushed = _log.Count - _flushed;
            var kept = tear is null || unflushed == 0 ? 0 : tear.Next(unflushed + 1);
            _log.RemoveRange(_flushed + kept, unflushed - kept);
            var garbled = kept > 0 && tear!.Next(2) == 0;
            if (garbled)
            {
                _log[^1] ^= 0x5A;
            }

            return unflushed == 0 ? "nothing unflushed"
                : kept == 0 ? $"lost {unflushed} unflushed byte(s)"
                : $"kept {kept} of {unflushed} unflushed byte(s){(garbled ? ", the last one garbled" : "")}";
        }
    }

    /// <summary>Flips one byte of the log (a bad sector), for tests.</summary>
    public void Corrupt(long offset)
    {
        lock (_gate)
        {
            _log[(int)offset] ^= 0xFF;
        }
    }
}
