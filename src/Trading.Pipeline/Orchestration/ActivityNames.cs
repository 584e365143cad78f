namespace Trading.Pipeline.Orchestration;

/// <summary>Activity and orchestration names, shared by the Functions app and the local hosts' engine.</summary>
public static class ActivityNames
{
    public const string EntryOrchestration = "EntryOrchestration";
    public const string ManagePositionsOrchestration = "ManagePositionsOrchestration";

    public const string MarketSnapshot = "MarketSnapshot";
    public const string AnalyzeMarket = "AnalyzeMarket";
    public const string SelectStrategy = "SelectStrategy";
    public const string RecallTradeMemory = "RecallTradeMemory";
    public const string RetrieveLessons = "RetrieveLessons";
    public const string AssessRisk = "AssessRisk";

    /// <summary>The council's stage in the journal and the progress: <see cref="SeatCouncil"/>, then <see cref="CastVote"/> per seat, joined.</summary>
    public const string ConveneCouncil = "ConveneCouncil";

    /// <summary>Seats the council: its members, the model planned for each, and the rule their votes are joined by.</summary>
    public const string SeatCouncil = "SeatCouncil";

    /// <summary>One seat's vote (a model call, or the offline rules); the seats vote in parallel.</summary>
    public const string CastVote = "CastVote";

    public const string DecideExecution = "DecideExecution";
    public const string PlaceOrder = "PlaceOrder";
    public const string RecordRun = "RecordRun";

    public const string LoadOpenPositions = "LoadOpenPositions";
    public const string EvaluateExit = "EvaluateExit";
    public const string ClosePosition = "ClosePosition";
    public const string RecordOutcome = "RecordOutcome";
}
