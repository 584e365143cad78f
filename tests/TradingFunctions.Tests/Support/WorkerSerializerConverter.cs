using Azure.Core.Serialization;
using Microsoft.DurableTask;

namespace TradingFunctions.Tests.Support;

/// <summary>
/// The Durable engine's <see cref="DataConverter"/> over the worker's configured <see cref="ObjectSerializer"/> — what the
/// Functions Durable extension does in Azure — so payloads in these tests cross the engine exactly as the app configured.
/// </summary>
public sealed class WorkerSerializerConverter : DataConverter
{
    private readonly ObjectSerializer _serializer;

    public WorkerSerializerConverter(ObjectSerializer serializer) => _serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));

    /// <summary>Number of payloads serialized (the engine calls this for every input, output and custom status).</summary>
    public int SerializeCount { get; private set; }

    public override string? Serialize(object? value)
    {
        if (value is null)
        {
            return null;
        }

        SerializeCount++;
        return _serializer.Serialize(value).ToString();
    }

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        if (data is null)
        {
            return null;
        }

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data));
        return _serializer.Deserialize(stream, targetType, CancellationToken.None);
    }
}
