using System.Text.Json;
using DurableTask.Core.Serializing;
using Trading.Pipeline.State;

namespace Trading.Hosting.Engine;

/// <summary>
/// Payloads on the Durable Task Framework as the Functions app writes them: System.Text.Json with
/// <see cref="StateJson.Options"/> (the framework's own converter is Newtonsoft-based), so a DTO means the same thing on
/// both engines and both read each other's task hub. An activity's parameters (the framework passes them as an array) are
/// sent as the one payload itself, as Durable Functions sends an activity input.
/// </summary>
public sealed class PayloadDataConverter : JsonDataConverter
{
    /// <summary>The one instance (stateless).</summary>
    public static PayloadDataConverter Instance { get; } = new();

    public override string Serialize(object value) => Serialize(value, formatted: false);

    public override string Serialize(object value, bool formatted)
    {
        var payload = value is object[] { Length: 1 } parameters ? parameters[0] : value;
        return payload is null ? "null" : JsonSerializer.Serialize(payload, payload.GetType(), StateJson.Options);
    }

    public override object Deserialize(string data, Type objectType)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        return string.IsNullOrEmpty(data) ? null! : JsonSerializer.Deserialize(data, objectType, StateJson.Options)!;
    }
}
