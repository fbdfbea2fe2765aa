using PaxosLabs.Grader.Mutants;

namespace PaxosLabs.Grader.Tests.Mutants;

public class MutantRunTests
{
    [Theory]
    [InlineData("/kit/artifacts/verify/mutants", "mutants-mutants")]
    [InlineData("/kit/artifacts/ci/mutants/", "mutants-mutants")]
    [InlineData("/tmp/full run", "mutants-full_run")]
    public void Each_report_folder_has_its_own_work_tree(string outDirectory, string expected) =>
        Assert.Equal(expected, MutantRun.WorkTreeName(outDirectory));
}
