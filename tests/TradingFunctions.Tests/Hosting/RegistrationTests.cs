using Microsoft.Extensions.DependencyInjection;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Hosting;

public sealed class RegistrationTests
{
    [Fact]
    public void The_apps_registration_builds_with_scope_and_build_time_validation_and_resolves_every_function_class()
    {
        using var app = new TestApp();
        using var provider = app.BuildValidatedProvider();
        using var scope = provider.CreateScope();

        var classes = typeof(TradingFunctionsApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => !m.IsStatic && m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(TradingFunctionsApp.FunctionClasses.OrderBy(t => t.Name, StringComparer.Ordinal), classes);
        foreach (var type in classes)
        {
            Assert.NotNull(scope.ServiceProvider.GetRequiredService(type));
        }
    }

    [Fact]
    public void A_bad_setting_stops_the_registration_with_a_message_naming_it()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["Risk:MaxRiskPerTradePct"] = "abc" });
        var error = Assert.Throws<Trading.Hosting.TradingConfigurationException>(() => app.BuildValidatedProvider());
        Assert.Contains("Risk", error.Message, StringComparison.Ordinal);
    }
}
