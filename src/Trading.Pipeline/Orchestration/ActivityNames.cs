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
    public const string ConveneCouncil = "ConveneCouncil";
    public const string DecideExecution = "DecideExecution";
    public const string PlaceOrder = "PlaceOrder";
    public const string RecordRun = "RecordRun";

    public const string LoadOpenPositions = "LoadOpenPositions";
    public const string EvaluateExit = "EvaluateExit";
    public const string ClosePosition = "ClosePosition";
    public const string RecordOutcome = "RecordOutcome";
}
