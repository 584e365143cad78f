using System.Collections;
using System.Reflection;
using System.Text.Json;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Serialization;

/// <summary>Every payload type of the app's Durable functions through the worker serializer the app configures.</summary>
public sealed class PayloadSerializerTests
{
    /// <summary>Every input and output type of the app's orchestrator and activity functions, and the types they contain.</summary>
    public static TheoryData<string> PayloadTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in AllPayloadTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_worker_serializer_is_the_apps_json_options()
    {
        using var app = new TestApp();
        using var provider = app.BuildValidatedProvider();
        var serializer = provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer;
        Assert.IsType<JsonObjectSerializer>(serializer);

        // The app's options (web defaults): camelCase names, case-insensitive reading — the same as the local hosts' engine (PayloadDataConverter).
        var json = serializer!.Serialize(new RunRequest { RunId = "r1", Trigger = "timer", DryRun = true }).ToString();
        Assert.Equal(JsonSerializer.Serialize(new RunRequest { RunId = "r1", Trigger = "timer", DryRun = true }, TradingFunctionsApp.PayloadJsonOptions), json);
        Assert.Contains("\"runId\":\"r1\"", json, StringComparison.Ordinal);
        Assert.Contains(typeof(RunJournal), AllPayloadTypes());
    }

    [Theory]
    [MemberData(nameof(PayloadTypes))]
    public void Every_payload_type_round_trips_through_the_configured_worker_serializer(string typeName)
    {
        var type = AllPayloadTypes().Single(t => t.FullName == typeName);
        using var app = new TestApp();
        using var provider = app.BuildValidatedProvider();
        var serializer = provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer!;
        var sample = Sample(type, 0);

        var json = serializer.Serialize(sample, type).ToString();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var back = serializer.Deserialize(stream, type, CancellationToken.None);
        var again = serializer.Serialize(back, type).ToString();

        Assert.Equal(json, again);
        using var document = JsonDocument.Parse(json);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Assert.True(document.RootElement.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out _), $"{type.Name}.{property.Name} is not serialized.");
        }
    }

    private static Type[] AllPayloadTypes()
    {
        var found = new HashSet<Type>();
        void Visit(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                Visit(type.GetGenericArguments()[0]);
                return;
            }

            if (type.Assembly != typeof(RunRequest).Assembly || !found.Add(type))
            {
                return;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Visit(property.PropertyType);
            }
        }

        foreach (var (_, method, _) in FunctionTasks.Discover())
        {
            Visit(method.ReturnType.GetGenericArguments()[0]);
            foreach (var parameter in method.GetParameters().Where(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null))
            {
                Visit(parameter.ParameterType);
            }
        }

        Visit(typeof(RunRequest)); // the orchestrations' input
        return found.OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();
    }

    /// <summary>An instance with every property set to a non-default value that a lossy conversion would change.</summary>
    private static object Sample(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "text \"quoted\" é " + depth;
        }

        if (type == typeof(decimal))
        {
            return 1234.5678901234567890123456m; // more digits than a double holds
        }

        if (type == typeof(double))
        {
            return 0.1 + 0.2;
        }

        if (type == typeof(int))
        {
            return 7;
        }

        if (type == typeof(long))
        {
            return 9_007_199_254_740_993L; // not representable as a double
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(DateTime))
        {
            return new DateTime(2026, 11, 23, 15, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567);
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.FromHours(-5));
        }

        if (type == typeof(DateOnly))
        {
            return new DateOnly(2026, 12, 18);
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<object>().Last();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]))!;
            list.Add(Sample(type.GetGenericArguments()[0], depth + 1));
            return list;
        }

        var instance = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} has no parameterless constructor.");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            property.SetValue(instance, Sample(property.PropertyType, depth + 1));
        }

        return instance;
    }
}
