using Trading.Core.Condors;
using Trading.Core.Settings;

namespace Trading.Core.Tests.Settings;

public sealed class CondorSettingsValidationTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_reference()
    {
        var s = new CondorSettings();
        Assert.Empty(s.Validate());
        Assert.Equal("Condor", CondorSettings.SectionName);
        Assert.Equal((0.15, 0.10, 0.22), (s.TargetShortDelta, s.MinShortDelta, s.MaxShortDelta));
        Assert.Equal((5m, 30, 45, 30), (s.WingWidthDollars, s.MinDte, s.MaxDte, s.TargetDte));
        Assert.Equal((0.05m, 0.50m), (s.MinShortBidDollars, s.MinCreditDollars));
    }

    [Fact]
    public void Each_bad_setting_is_named_with_its_rule_and_value()
    {
        var s = new CondorSettings { WingWidthDollars = 0m, MinDte = 50, MaxDte = 40, TargetShortDelta = 0.3 };
        var errors = s.Validate();
        Assert.Contains("Condor:WingWidthDollars must be in (0, 1000]; was 0", errors);
        Assert.Contains(errors, e => e.StartsWith("Condor:MaxDte must be at least MinDte (50); was 40", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Condor:TargetShortDelta must lie in [MinShortDelta, MaxShortDelta]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Condor:TargetDte", StringComparison.Ordinal));

        var ex = Assert.Throws<SettingsValidationException>(() => SettingsValidationException.ThrowIfAny(errors));
        Assert.Equal(errors.Count, ex.Errors.Count);
        Assert.Contains("Condor:WingWidthDollars", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_errors_does_not_throw()
    {
        SettingsValidationException.ThrowIfAny(new CondorSettings().Validate(), []);
    }
}
