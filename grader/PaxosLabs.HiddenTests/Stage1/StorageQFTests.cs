using PaxosLabs.Storage;

namespace PaxosLabs.HiddenTests.Stage1;

/// <summary>Tables for the storage quorum functions (tasks 1.4 and 1.5).</summary>
public class StorageQFTests
{
    private static Dictionary<uint, State> States(params (uint Node, string Value, long Timestamp)[] replies) =>
        replies.ToDictionary(r => r.Node, r => new State { Value = r.Value, Timestamp = r.Timestamp });

    [Theory]
    [Graded("1.4", 2)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 2)]
    public void ReadQF_is_not_done_below_a_quorum(int n, int replies)
    {
        var qspec = new StorageQSpec(n);
        var got = States([.. Enumerable.Range(0, replies).Select(i => ((uint)i, "v", (long)i))]);
        var (_, done) = qspec.ReadQF(new ReadRequest(), got);
        Assert.False(done, $"ReadQF with n = {n} said done after {replies} replies, but a quorum is n / 2 + 1 = {n / 2 + 1}.");
    }

    [Theory]
    [Graded("1.4", 2)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void ReadQF_is_done_at_a_quorum_with_the_freshest_state(int n, int replies)
    {
        var qspec = new StorageQSpec(n);
        var got = States([.. Enumerable.Range(0, replies).Select(i => ((uint)i, $"value-{i}", (long)(10 * (i + 1))))]);
        var (result, done) = qspec.ReadQF(new ReadRequest(), got);
        Assert.True(done, $"ReadQF with n = {n} was not done after {replies} replies (a quorum).");
        Assert.NotNull(result);
        Assert.True(result.Timestamp == 10 * replies, $"ReadQF returned timestamp {result.Timestamp}; the freshest reply had {10 * replies}.");
        Assert.Equal($"value-{replies - 1}", result.Value);
    }

    [Fact]
    [Graded("1.4", 2)]
    public void ReadQF_breaks_timestamp_ties_by_the_lowest_node_id()
    {
        var qspec = new StorageQSpec(5);
        var got = States((4, "from-4", 7), (2, "from-2", 7), (3, "from-3", 1));
        var (result, done) = qspec.ReadQF(new ReadRequest(), got);
        Assert.True(done);
        Assert.True(result?.Value == "from-2", $"Nodes 2 and 4 both reported timestamp 7; the lowest id (2) wins, but ReadQF returned '{result?.Value}'.");
    }

    [Fact]
    [Graded("1.4", 1)]
    public void ReadQF_does_not_modify_the_replies()
    {
        var qspec = new StorageQSpec(3);
        var got = States((0, "a", 1), (1, "b", 2));
        var before = got.ToDictionary(r => r.Key, r => r.Value.Clone());
        qspec.ReadQF(new ReadRequest(), got);
        Assert.Equal(before, got);
    }

    [Theory]
    [Graded("1.5", 2)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void WriteQF_is_done_exactly_at_a_quorum(int n, int quorum)
    {
        var qspec = new StorageQSpec(n);
        var acks = new Dictionary<uint, WriteResponse>();
        for (uint i = 0; i < quorum - 1; i++)
        {
            acks[i] = new WriteResponse { New = true };
            Assert.False(qspec.WriteQF(new State(), acks).Done, $"WriteQF with n = {n} said done after {acks.Count} acknowledgements; a quorum is {quorum}.");
        }

        acks[(uint)quorum - 1] = new WriteResponse { New = false };
        var (result, done) = qspec.WriteQF(new State(), acks);
        Assert.True(done, $"WriteQF with n = {n} was not done after {quorum} acknowledgements (a quorum).");
        Assert.True(result?.New == (quorum > 1), "WriteQF must report New when any node took the write.");
    }

    [Fact]
    [Graded("1.5", 1)]
    public void WriteQF_reports_new_only_when_some_node_took_the_write()
    {
        var qspec = new StorageQSpec(3);
        var old = new Dictionary<uint, WriteResponse> { [0] = new() { New = false }, [2] = new() { New = false } };
        Assert.False(qspec.WriteQF(new State(), old).Result?.New, "No node took the write, so New must be false.");
        old[2] = new WriteResponse { New = true };
        Assert.True(qspec.WriteQF(new State(), old).Result?.New, "Node 2 took the write, so New must be true.");
    }
}
