namespace Trading.Infra.Tests.Compiler;

/// <summary>A fact that needs the Bicep compiler: skipped, naming the missing package, where it cannot run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BicepFactAttribute : FactAttribute
{
    public BicepFactAttribute()
    {
        if (BicepCli.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs the Bicep compiler: skipped, naming the missing package, where it cannot run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BicepTheoryAttribute : TheoryAttribute
{
    public BicepTheoryAttribute()
    {
        if (BicepCli.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
