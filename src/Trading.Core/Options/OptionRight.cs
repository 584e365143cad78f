namespace Trading.Core.Options;

/// <summary>Whether an option is a call or a put.</summary>
public enum OptionRight
{
    Call,
    Put,
}
