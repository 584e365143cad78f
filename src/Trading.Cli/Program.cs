// Placeholder until the `trading` command lands (issue 8).
Console.Error.WriteLine("trading: not implemented yet");
return 1;
