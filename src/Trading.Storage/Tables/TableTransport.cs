using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trading.Storage.Tables;

/// <summary>The HTTP side shared by a service client and its table clients: pipeline, endpoint, common headers, errors.</summary>
internal sealed class TableTransport
{
    private readonly string _baseUrl;
    private readonly Uri _baseUri;
    private readonly string? _sas;
    private readonly string _version;

    public TableTransport(HttpPipeline pipeline, Uri endpoint, string? sas, string version)
    {
        Pipeline = pipeline;
        _baseUrl = endpoint.AbsoluteUri.TrimEnd('/');
        _baseUri = new Uri(_baseUrl);
        _sas = sas;
        _version = version;
    }

    public HttpPipeline Pipeline { get; }

    public string BaseUrl => _baseUrl;

    public static TableTransport FromConnectionString(string connectionString, TableClientOptions? options)
    {
        var parsed = TableConnectionString.Parse(connectionString);
        options ??= new TableClientOptions();
        HttpPipelinePolicy[] perRetry = parsed.AccountKey is { } key
            ? [new SharedKeyLitePolicy(parsed.AccountName!, key, TimeProvider.System)]
            : [new DateHeaderPolicy(TimeProvider.System)];
        var pipeline = HttpPipelineBuilder.Build(options, [], perRetry, new TableResponseClassifier());
        return new TableTransport(pipeline, parsed.TableEndpoint, parsed.SharedAccessSignature, options.ServiceVersion);
    }

    public static TableTransport FromTokenCredential(Uri endpoint, TokenCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("A TokenCredential (Entra ID) needs an https table endpoint; bearer tokens are never sent over http.", nameof(endpoint));
        }

        options ??= new TableClientOptions();
        HttpPipelinePolicy[] perRetry =
        [
            new DateHeaderPolicy(TimeProvider.System),
            new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default"),
        ];
        var pipeline = HttpPipelineBuilder.Build(options, [], perRetry, new TableResponseClassifier());
        return new TableTransport(pipeline, endpoint, null, options.ServiceVersion);
    }

    /// <summary>A request to <c>{endpoint}/{path}</c>; <paramref name="query"/> is already escaped, without '?'.</summary>
    public HttpMessage CreateMessage(RequestMethod method, string path, string? query = null)
    {
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        // Built from the pre-parsed endpoint: no URL string is parsed per request.
        request.Uri.Reset(_baseUri);
        request.Uri.AppendPath("/" + path, escape: false);
        if (!string.IsNullOrEmpty(query) || _sas is not null)
        {
            request.Uri.Query = "?" + query + (string.IsNullOrEmpty(query) || _sas is null ? string.Empty : "&") + _sas;
        }

        request.Headers.SetValue("x-ms-version", _version);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        return message;
    }

    public static void SetJsonContent(HttpMessage message, byte[] body)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json;odata=minimalmetadata");
        message.Request.Content = RequestContent.Create(body);
    }

    public async Task<Response> SendAsync(HttpMessage message, CancellationToken ct)
    {
        await Pipeline.SendAsync(message, ct).ConfigureAwait(false);
        return message.Response;
    }

    public static ETag ETagOf(Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) && etag is not null ? new ETag(etag) : default;

    /// <summary>The error for a failed response: code and message from the odata.error body, 412 as a concurrency conflict.</summary>
    public static RequestFailedException Error(Response response, string operation)
    {
        var (code, text) = ParseError(response.Content);
        var message = $"{operation} failed: {response.Status} {code ?? response.ReasonPhrase}: {text ?? "(no error body)"}";
        return response.Status == 412
            ? new TableConcurrencyException(message, code ?? "UpdateConditionNotSatisfied")
            : new RequestFailedException(response.Status, message, code, null);
    }

    /// <summary>Reads <c>{"odata.error":{"code":..,"message":{"value":..}}}</c>; tolerates other shapes.</summary>
    public static (string? Code, string? Message) ParseError(BinaryData? content)
    {
        if (content is null || content.ToMemory().IsEmpty)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            var root = document.RootElement;
            if (root.TryGetProperty("odata.error", out var error) || root.TryGetProperty("error", out error))
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                string? text = null;
                if (error.TryGetProperty("message", out var m))
                {
                    text = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                }

                return (code, text);
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. an HTML error page from a proxy): fall back to the status line.
        }

        return (null, null);
    }
}
