using System.Globalization;
using System.Text.Json;

namespace Trading.Dashboard.Tests;

/// <summary>The page's number formats (dashboard.js <c>fmt</c>), so a value read from the page can be compared with the API's.</summary>
public static class PageFormat
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    public static string Money(JsonElement v) => v.ValueKind == JsonValueKind.Null ? "–" : "$" + v.GetDecimal().ToString("N2", En);

    public static string Usd(JsonElement v) => v.ValueKind == JsonValueKind.Null ? "–" : "$" + v.GetDecimal().ToString("N4", En);

    public static string Count(JsonElement v) => v.GetInt64().ToString("N0", En);

    public static string Ms(JsonElement v) =>
        v.ValueKind == JsonValueKind.Null ? "–" : Math.Round(v.GetDouble(), MidpointRounding.AwayFromZero).ToString("N0", En) + " ms";

    public static string Number(JsonElement v, int decimals) => v.GetDouble().ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), En);

    public static string Percent(JsonElement v) =>
        v.ValueKind == JsonValueKind.Null ? "–" : Math.Round(v.GetDouble() * 100, 1, MidpointRounding.AwayFromZero).ToString("N1", En) + "%";
}
