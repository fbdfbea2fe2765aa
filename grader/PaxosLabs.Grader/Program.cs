return PaxosLabs.Grader.Cli.Run(args, Console.Out, Console.Error);
