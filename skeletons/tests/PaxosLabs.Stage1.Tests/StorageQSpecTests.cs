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
    [Trait("Task", "1.4")]
    public void ReadQF_breaks_a_timestamp_tie_by_the_lowest_node_id_whatever_the_arrival_order()
    {
        var tie = new Dictionary<uint, State>
        {
            [2] = new() { Value = "from 2", Timestamp = 4 },
            [0] = new() { Value = "from 0", Timestamp = 4 },
        };
        var (result, done) = _qspec.ReadQF(new ReadRequest(), tie);
        Assert.True(done && result?.Value == "from 0",
            $"Nodes 2 and 0 replied, in that order, both with timestamp 4: the tie goes to the lowest node id, 0, not to the reply that came first; got {(done ? $"\"{result?.Value}\"" : "not done")}.");
    }

    [Fact]
    [Trait("Task", "1.4")]
    public void ReadQF_depends_only_on_the_replies_it_is_given()
    {
        _qspec.ReadQF(new ReadRequest(), new Dictionary<uint, State>
        {
            [0] = new() { Value = "a", Timestamp = 1 },
            [1] = new() { Value = "a", Timestamp = 1 },
        });
        var (result, done) = _qspec.ReadQF(new ReadRequest(), new Dictionary<uint, State>
        {
            [1] = new() { Value = "b", Timestamp = 2 },
            [2] = new() { Value = "b", Timestamp = 2 },
        });
        Assert.True(done && result?.Value == "b",
            $"A second evaluation's replies (nodes 1 and 2, both \"b\" with timestamp 2) alone decide its result: a quorum function keeps nothing from earlier evaluations (no result cached in a field); got {(done ? $"\"{result?.Value}\"" : "not done")}.");
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
