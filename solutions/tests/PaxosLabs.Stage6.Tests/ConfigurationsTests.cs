using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.Stage6.Tests;

/// <summary>Task 6.1: the configuration of a slot, and a change that starts a new one α slots after its own slot (protocol §6.1, §6.2).</summary>
[Trait("Stage", "6")]
[Trait("Task", "6.1")]
public class ConfigurationsTests
{
    private const int Alpha = 3;

    private static Membership Of(params uint[] ids) => MultiPaxosScenario.Members(ids);

    private static string Ids(Epoch epoch) => string.Join(",", epoch.Members.Nodes.Keys.Order());

    [Fact]
    public void Every_slot_belongs_to_the_initial_configuration_until_a_change()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        Assert.Equal("0,1,2", Ids(configurations.For(1)));
        Assert.Equal("0,1,2", Ids(configurations.For(99)));
    }

    [Fact]
    public void A_change_in_slot_5_starts_its_configuration_at_slot_5_plus_alpha()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        var started = configurations.Change(5, Of(0, 1, 3));
        Assert.NotNull(started);
        Assert.Equal(5ul + Alpha, started.FromSlot);
        Assert.Equal("0,1,2", Ids(configurations.For(5 + Alpha - 1))); // the last slot of the old configuration
        Assert.Equal("0,1,3", Ids(configurations.For(5 + Alpha))); // the first slot of the new one
    }

    [Fact]
    public void Two_changes_in_flight_start_in_the_order_of_their_slots()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        configurations.Change(5, Of(0, 1, 3));
        configurations.Change(6, Of(0, 1, 3, 4));
        Assert.Equal("0,1,3", Ids(configurations.For(8)));
        Assert.Equal("0,1,3,4", Ids(configurations.For(9)));
    }

    [Fact]
    public void A_change_to_the_same_replicas_changes_nothing()
    {
        var configurations = new Configurations(Of(0, 1, 2), Alpha);
        Assert.Null(configurations.Change(5, Of(0, 1, 2))); // equal, though another object
        Assert.Single(configurations.Epochs);
    }
}
