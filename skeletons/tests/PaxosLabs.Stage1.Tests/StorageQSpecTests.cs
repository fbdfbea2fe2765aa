using PaxosLabs.Storage;

namespace PaxosLabs.Stage1.Tests;

/// <summary>Tasks 1.4 and 1.5: the storage quorum functions, for three nodes.</summary>
[Trait("Stage", "1")]
public class StorageQSpecTests
{
    private readonly StorageQSpec _qspec = new(3);

    [Fact]
    [Trait("Task", "1.4")]
    public void ReadQF_waits_for_a_quorum()
    {
        var one = new Dictionary<uint, State> { [0] = new() { Value = "a", Timestamp = 1 } };
        Assert.False(_qspec.ReadQF(new ReadRequest(), one).Done);
    }

    [Fact]
    [Trait("Task", "1.4")]
    public void ReadQF_returns_the_freshest_state()
    {
        var two = new Dictionary<uint, State>
        {
            [0] = new() { Value = "old", Timestamp = 1 },
            [2] = new() { Value = "new", Timestamp = 5 },
        };
        var (result, done) = _qspec.ReadQF(new ReadRequest(), two);
        Assert.True(done);
        Assert.Equal("new", result?.Value);
    }

    [Fact]
    [Trait("Task", "1.5")]
    public void WriteQF_is_done_at_a_quorum()
    {
        var acks = new Dictionary<uint, WriteResponse> { [1] = new() { New = true } };
        Assert.False(_qspec.WriteQF(new State(), acks).Done);

        acks[2] = new WriteResponse { New = false };
        var (result, done) = _qspec.WriteQF(new State(), acks);
        Assert.True(done);
        Assert.True(result?.New);
    }
}
