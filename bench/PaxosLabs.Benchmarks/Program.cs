using PaxosLabs.Benchmarks;

return await Cli.RunAsync(args);
