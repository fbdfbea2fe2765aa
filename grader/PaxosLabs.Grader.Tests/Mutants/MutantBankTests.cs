using PaxosLabs.Grader.Mutants;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Mutants;

public sealed class MutantBankTests : IDisposable
{
    private static readonly string[] Bank = ["a", "b", "c", "d", "e", "f"];

    private readonly TestTree _kit = SmallKit.Create();

    public void Dispose() => _kit.Dispose();

    private static IReadOnlyList<string> Select(string selection, int? sample = null, string seed = "") =>
        MutantBank.Select(Bank, m => m, selection, sample, seed);

    [Fact]
    public void The_kit_bank_loads_has_at_least_thirty_mutants_and_covers_every_stage()
    {
        var root = KitRepository.Root;

        var bank = MutantBank.Load(root);

        Assert.True(bank.Count >= 30, $"{bank.Count} mutants");
        Assert.Equal([1, 2, 3, 4, 5, 6], bank.Select(m => m.Mutant.Stage).Distinct().Order());
        Assert.All(bank, m => Assert.NotEqual(m.Original, m.Mutated));
    }

    [Fact]
    public void Load_applies_every_mutant_of_the_folder_and_orders_them_by_file()
    {
        _kit.Write("grader/mutants/1.1-two.mutant", MutantFileTests.Valid);

        var bank = MutantBank.Load(_kit.Root);

        var only = Assert.Single(bank);
        Assert.Equal("1.1-two", only.Mutant.Id);
        Assert.Contains("        return 2;", only.Mutated, StringComparison.Ordinal);
        Assert.Equal(SmallKit.Solution, only.Original);
    }

    [Fact]
    public void Load_names_the_mutant_whose_file_does_not_exist()
    {
        _kit.Write("grader/mutants/x.mutant", MutantFileTests.Valid.Replace("solutions/P/A.cs", "solutions/P/Gone.cs", StringComparison.Ordinal));

        var error = Assert.Throws<MutantException>(() => MutantBank.Load(_kit.Root));

        Assert.Equal("grader/mutants/x.mutant: 'file: solutions/P/Gone.cs' does not exist", error.Message);
    }

    [Fact]
    public void All_selects_every_mutant_and_ids_select_those_named()
    {
        Assert.Equal(Bank, Select("all"));
        Assert.Equal(["b", "e"], Select("e, b"));
    }

    [Fact]
    public void An_unknown_id_is_an_error_naming_it()
    {
        var error = Assert.Throws<GraderException>(() => Select("a,zz"));

        Assert.StartsWith("no such mutant: zz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_is_the_same_for_one_seed_and_rotates_with_the_seed()
    {
        var first = Select("all", 3, "commit-1");

        Assert.Equal(3, first.Count);
        Assert.Equal(first, Select("all", 3, "commit-1"));
        Assert.Contains(Enumerable.Range(2, 20), n => !Select("all", 3, $"commit-{n}").SequenceEqual(first));
        Assert.Equal(Bank, Select("all", 10, "x"));
        Assert.Throws<GraderException>(() => Select("all", 0));
    }
}
