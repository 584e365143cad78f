namespace Trading.Cli.Serve;

/// <summary>Settings of <c>trading serve</c> (section <c>Serve</c>; environment <c>Serve__AdminKey</c>, etc.).</summary>
public sealed class ServeOptions
{
    public const string SectionName = "Serve";

    /// <summary>The key every request must carry. Empty: generated once, stored in <see cref="AdminKeyFile"/>, printed at first start.</summary>
    public string AdminKey { get; set; } = string.Empty;

    /// <summary>Where a generated key is kept, relative to the repository root unless absolute.</summary>
    public string AdminKeyFile { get; set; } = Path.Combine(".trading", "serve-admin-key");

    /// <summary>Where to listen; loopback by default, the Functions host's local port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";

    /// <summary>Every bad setting, each naming the setting and the rule it broke.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (AdminKey.Length is > 0 and < 16)
        {
            errors.Add($"{SectionName}:AdminKey must be at least 16 characters (or empty to generate one).");
        }

        if (string.IsNullOrWhiteSpace(AdminKeyFile))
        {
            errors.Add($"{SectionName}:AdminKeyFile must not be empty.");
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{SectionName}:Urls has '{url}', which is not an absolute http(s) URL such as http://127.0.0.1:7071.");
            }
        }

        return errors;
    }
}
