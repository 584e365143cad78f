using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions.Tests.Support;

/// <summary>Test hooks around the app's functions (counting, fault points); none by default.</summary>
public sealed class FunctionHooks
{
    /// <summary>Called with the activity name and its input (as the engine delivered it) before each invocation.</summary>
    public Action<string, object?>? ActivityStarting { get; init; }

    /// <summary>Called with the activity name and its output after each successful invocation, before the engine records it.</summary>
    public Action<string, object?>? ActivityCompleted { get; init; }

    /// <summary>Wraps the orchestration context the app's orchestrator functions receive.</summary>
    public Func<TaskOrchestrationContext, TaskOrchestrationContext>? WrapContext { get; init; }
}

/// <summary>
/// Registers the app's own functions with the Durable engine: every method of the app's function classes marked
/// [Function] with an [OrchestrationTrigger] or [ActivityTrigger] parameter, under its [Function] name, invoked by
/// reflection (the very methods the worker calls). Inputs and outputs cross the engine through its DataConverter.
/// </summary>
public static class FunctionTasks
{
    /// <summary>The orchestrations' input: what the app's launcher schedules (the functions read it with GetInput).</summary>
    private static readonly Type OrchestrationInput = typeof(RunRequest);

    /// <summary>The app's Durable functions: (name, method, is orchestrator).</summary>
    public static IReadOnlyList<(string Name, MethodInfo Method, bool IsOrchestrator)> Discover() =>
        typeof(TradingFunctionsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null)
            .Select(x => (x.Function!.Name, x.Method,
                Orchestrator: x.Method.GetParameters().Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null),
                Activity: x.Method.GetParameters().Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null)))
            .Where(x => x.Orchestrator || x.Activity)
            .Select(x => (x.Name, x.Method, x.Orchestrator))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Adds every orchestrator and activity function to <paramref name="registry"/>.</summary>
    public static void Register(DurableTaskRegistry registry, FunctionHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        hooks ??= new FunctionHooks();
        foreach (var (name, method, isOrchestrator) in Discover())
        {
            if (isOrchestrator)
            {
                var orchestrator = new FunctionOrchestrator(method, hooks);
                registry.AddOrchestrator(name, () => orchestrator);
            }
            else
            {
                registry.AddActivity(name, services => new FunctionActivity(name, method, services, hooks));
            }
        }
    }

    private sealed class FunctionOrchestrator : ITaskOrchestrator
    {
        private readonly MethodInfo _method;
        private readonly FunctionHooks _hooks;

        public FunctionOrchestrator(MethodInfo method, FunctionHooks hooks)
        {
            _method = method;
            _hooks = hooks;
        }

        public Type InputType => OrchestrationInput;

        public Type OutputType => _method.ReturnType.GetGenericArguments()[0];

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var wrapped = _hooks.WrapContext?.Invoke(context) ?? context;
            var task = (Task)_method.Invoke(null, [wrapped])!;
            await task;
            return task.GetType().GetProperty("Result")!.GetValue(task);
        }
    }

    private sealed class FunctionActivity : ITaskActivity
    {
        private readonly string _name;
        private readonly MethodInfo _method;
        private readonly IServiceProvider _services;
        private readonly FunctionHooks _hooks;

        public FunctionActivity(string name, MethodInfo method, IServiceProvider services, FunctionHooks hooks)
        {
            _name = name;
            _method = method;
            _services = services;
            _hooks = hooks;
        }

        public Type InputType => _method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null).ParameterType;

        public Type OutputType => _method.ReturnType.GetGenericArguments()[0];

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            _hooks.ActivityStarting?.Invoke(_name, input);
            // The worker activates the function class from the app's container for each invocation, as the Functions worker does.
            var instance = _method.IsStatic ? null : _services.GetRequiredService(_method.DeclaringType!);
            var arguments = _method.GetParameters()
                .Select(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? input
                    : p.ParameterType == typeof(CancellationToken) ? (object)CancellationToken.None
                    : throw new InvalidOperationException($"{_name}: no test binding for parameter {p.Name} ({p.ParameterType.Name})."))
                .ToArray();
            Task task;
            try
            {
                task = (Task)_method.Invoke(instance, arguments)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            await task;
            var output = task.GetType().GetProperty("Result")!.GetValue(task);
            _hooks.ActivityCompleted?.Invoke(_name, output);
            return output;
        }
    }
}
