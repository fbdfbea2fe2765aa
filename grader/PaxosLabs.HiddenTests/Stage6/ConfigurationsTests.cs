using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage6;

/// <summary>Task 6.1: the configuration of each slot, and how an executed change starts a new one α slots later.</summary>
public class ConfigurationsTests
{
    private const int Alpha = 4;

    private static Membership Of(params uint[] ids) => MultiPaxosScenario.Members(ids);

    private static string Show(Epoch? epoch) => epoch is null ? "null (no new configuration)" : Configurations.Describe(epoch);

    private static void ExpectMembers(Configurations configurations, ulong slot, Membership expected, string why)
    {
        var actual = configurations.For(slot);
        Assert.True(actual.Members.Equals(expected),
            $"For({slot}) returned {Show(actual)}, but slot {slot} belongs to {{{string.Join(", ", expected.Nodes.Keys.Order())}}}: {why} (α = {Alpha}; the configurations: {string.Join("; ", configurations.Epochs.Select(Show))})");
    }

    [Fact]
    [Graded("6.1", 3)]
    public void A_change_decided_in_slot_s_starts_its_configuration_at_slot_s_plus_alpha()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        ExpectMembers(configurations, 1, Of(0, 1, 2), "before any change, every slot belongs to the initial configuration");
        ExpectMembers(configurations, 1000, Of(0, 1, 2), "before any change, every slot belongs to the initial configuration");

        var started = configurations.Change(10, Of(0, 1, 3));
        Assert.True(started is { FromSlot: 10 + Alpha } && started.Members.Equals(Of(0, 1, 3)),
            $"Change(10, {{0, 1, 3}}) with α = {Alpha} must return the new configuration {{0, 1, 3}} from slot {10 + Alpha}; it returned {Show(started)}.");
        ExpectMembers(configurations, 10, Of(0, 1, 2), "the change's own slot still belongs to the old configuration");
        ExpectMembers(configurations, 10 + Alpha - 1, Of(0, 1, 2), $"slot s + α − 1 = {10 + Alpha - 1} is the last slot of the old configuration");
        ExpectMembers(configurations, 10 + Alpha, Of(0, 1, 3), $"slot s + α = {10 + Alpha} is the first slot of the new configuration");
        ExpectMembers(configurations, 500, Of(0, 1, 3), "every later slot belongs to the new configuration");
        Assert.True(configurations.Latest.Members.Equals(Of(0, 1, 3)), $"Latest must be the new configuration; it is {Show(configurations.Latest)}.");
    }

    [Fact]
    [Graded("6.1", 2)]
    public void Two_changes_in_flight_each_start_alpha_slots_after_their_own_slot()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        configurations.Change(10, Of(0, 1, 3));
        configurations.Change(12, Of(0, 1, 3, 4));
        ExpectMembers(configurations, 13, Of(0, 1, 2), "neither change has started yet");
        ExpectMembers(configurations, 14, Of(0, 1, 3), "the first change (slot 10) starts at slot 14");
        ExpectMembers(configurations, 15, Of(0, 1, 3), "the second change (slot 12) starts only at slot 16");
        ExpectMembers(configurations, 16, Of(0, 1, 3, 4), "the second change (slot 12) starts at slot 16");
        Assert.Equal(3, configurations.Epochs.Count);
    }

    [Fact]
    [Graded("6.1", 2)]
    public void A_change_to_the_newest_configuration_or_to_no_replica_changes_nothing()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        var again = configurations.Change(5, Of(0, 1, 2));
        Assert.True(again is null, $"Change(5, {{0, 1, 2}}) names the newest configuration again (an equal membership, another object): it must change nothing and return null; it returned {Show(again)}.");
        var none = configurations.Change(6, new Membership());
        Assert.True(none is null, $"Change(6, {{}}) names no replica: it must change nothing and return null; it returned {Show(none)}.");
        Assert.Single(configurations.Epochs);

        configurations.Change(7, Of(0, 1, 3));
        var retried = configurations.Change(9, Of(0, 1, 3));
        Assert.True(retried is null, $"A retried change decided again in slot 9 names the newest configuration {{0, 1, 3}}: nothing changes; Change returned {Show(retried)}.");
        Assert.Equal(2, configurations.Epochs.Count);
    }

    [Fact]
    [Graded("6.1", 1)]
    public void A_configuration_keeps_its_own_copy_of_the_membership()
    {
        var members = Of(0, 1, 3);
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        configurations.Change(3, members);
        members.Nodes.Add(9, "r9");
        ExpectMembers(configurations, 3 + Alpha, Of(0, 1, 3), "Change must keep a copy: the caller changed its membership object afterwards");
    }
}
