using Trading.Cli;

return await TradingCommandLine.InvokeAsync(args, new CliContext(), Console.Out, Console.Error, CancellationToken.None);
