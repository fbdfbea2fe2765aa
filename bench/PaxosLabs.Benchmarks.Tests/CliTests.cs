namespace PaxosLabs.Benchmarks.Tests;

/// <summary>
/// The suite's command line: every command and option it has always had, parsed by
/// System.CommandLine, and every usage mistake answered with one line and exit code 2. The actions
/// are stand-ins that record what they were asked, so nothing is measured.
/// </summary>
public sealed class CliTests
{
    private FiguresRequest? _figures;
    private IReadOnlyList<string>? _figuresArgs;
    private AllocProfileRequest? _allocProfile;
    private KvProfileRequest? _kvProfile;

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.RunAsync(
            args,
            output,
            error,
            (request, given) =>
            {
                (_figures, _figuresArgs) = (request, given);
                return Task.FromResult(0);
            },
            request =>
            {
                _allocProfile = request;
                return Task.FromResult(0);
            },
            request =>
            {
                _kvProfile = request;
                return Task.FromResult(0);
            });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task All_figures_with_every_option()
    {
        string[] args = ["all", "--quick", "--out", "docs/performance.md", "--artifacts", "/tmp/bdn", "--sizes", "3,5", "--in-flight", "1,64"];
        var (code, _, error) = await RunAsync(args);

        Assert.Equal((0, ""), (code, error));
        Assert.NotNull(_figures);
        Assert.Equal(["throughput", "latency", "alloc", "kv", "raft", "crash", "sim", "grade", "durable"], _figures.Figures);
        Assert.True(_figures.Quick);
        Assert.Equal(("docs/performance.md", "/tmp/bdn"), (_figures.Out, _figures.Artifacts));
        Assert.Equal([3, 5], _figures.Sizes!);
        Assert.Equal([1, 64], _figures.InFlight!);
        Assert.Equal(args, _figuresArgs);
        Assert.Null(_allocProfile);
    }

    [Fact]
    public async Task A_list_of_figures_and_the_defaults()
    {
        var (code, _, _) = await RunAsync("kv, crash,kv");

        Assert.Equal(0, code);
        Assert.NotNull(_figures);
        Assert.Equal(["kv", "crash"], _figures.Figures);
        Assert.Equal((false, null, null, null, null), (_figures.Quick, _figures.Out, _figures.Artifacts, _figures.Sizes, _figures.InFlight));
    }

    [Fact]
    public async Task Alloc_profile_with_and_without_its_arguments()
    {
        Assert.Equal(0, (await RunAsync("alloc-profile", "write", "5", "1000")).Code);
        Assert.Equal(new AllocProfileRequest("write", 5, 1000), _allocProfile);

        Assert.Equal(0, (await RunAsync("alloc-profile")).Code);
        Assert.Equal(new AllocProfileRequest("read", 3, 200_000), _allocProfile);
        Assert.Null(_figures);
    }

    [Fact]
    public async Task Kv_profile_with_and_without_its_arguments_and_a_bad_count()
    {
        Assert.Equal(0, (await RunAsync("kv-profile", "64", "10", "4")).Code);
        Assert.Equal(new KvProfileRequest(64, 10, 4), _kvProfile);

        Assert.Equal(0, (await RunAsync("kv-profile")).Code);
        Assert.Equal(new KvProfileRequest(16, 5, 3), _kvProfile);
        Assert.Null(_figures);

        Assert.Equal(0, (await RunAsync("kv-profile", "1", "--peer")).Code);
        Assert.Equal(new KvProfileRequest(1, 5, 3, Peer: true), _kvProfile);

        Assert.Equal(0, (await RunAsync("kv-profile", "16", "--data-dir", "/dev/shm")).Code);
        Assert.Equal(new KvProfileRequest(16, 5, 3, DataDir: "/dev/shm"), _kvProfile);

        var (code, _, error) = await RunAsync("kv-profile", "0");
        Assert.Equal(2, code);
        Assert.Equal("error: clients must be a whole number of at least 1, not '0' (see --help)", error.Trim());
    }

    [Fact]
    public async Task Help_names_every_figure_and_option_and_exits_0()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var word in Cli.Figures.Concat(["--quick", "--out", "--artifacts", "--sizes", "--in-flight", "alloc-profile", "kv-profile"]))
        {
            Assert.Contains(word, output, StringComparison.Ordinal);
        }

        Assert.Null(_figures);
    }

    [Theory]
    [InlineData]
    [InlineData("bogus")]
    [InlineData("kv,bogus")]
    [InlineData(",")]
    [InlineData("kv", "--nope")]
    [InlineData("kv", "sim")]
    [InlineData("kv", "--out")]
    [InlineData("throughput", "--sizes", "0")]
    [InlineData("throughput", "--sizes", "3,x")]
    [InlineData("throughput", "--in-flight")]
    [InlineData("alloc-profile", "sideways")]
    [InlineData("alloc-profile", "read", "three")]
    [InlineData("alloc-profile", "read", "3", "0")]
    [InlineData("alloc-profile", "read", "3", "10", "more")]
    public async Task Bad_arguments_give_one_line_and_exit_code_2(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Null(_figures);
        Assert.Null(_allocProfile);
    }
}
