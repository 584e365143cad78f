using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Core.Knowledge;
using Trading.Lessons.Drafts;
using Trading.Lessons.Retrieval;
using Trading.Lessons.Search;

namespace Trading.Lessons;

/// <summary>DI registration of the lessons knowledge base.</summary>
public static class LessonsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LessonsSettings"/> (section <c>Lessons</c>, validated now), the index builder, the
    /// <see cref="LessonLibrary"/>, the <see cref="LessonRetriever"/> and the <see cref="DraftLessonStore"/>. A registered
    /// <see cref="TableServiceClient"/> enables the embedding cache and keeps drafts in Table Storage (without one they are kept in memory). An <see cref="ITextEmbedder"/> registered by the
    /// gateway makes retrieval hybrid; without one it is lexical.
    /// </summary>
    public static IServiceCollection AddTradingLessons(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new LessonsSettings();
        configuration.GetSection(LessonsSettings.SectionName).Bind(settings);
        settings.ValidateOrThrow();

        services.AddSingleton(settings);
        services.AddSingleton(sp => new LessonIndexBuilder(
            sp.GetService<ITextEmbedder>(),
            settings,
            sp.GetService<TableServiceClient>() is { } tables
                ? new EmbeddingCache(tables.GetTableClient(settings.EmbeddingCacheTableName))
                : null,
            sp.GetService<ILogger<LessonIndexBuilder>>()));
        services.AddSingleton(sp => new LessonLibrary(
            settings,
            sp.GetRequiredService<LessonIndexBuilder>(),
            sp.GetService<ILogger<LessonLibrary>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(sp => new LessonRetriever(
            sp.GetRequiredService<LessonLibrary>(),
            sp.GetService<ITextEmbedder>(),
            settings,
            sp.GetService<ILogger<LessonRetriever>>()));
        services.AddSingleton<DraftLessonStore>(sp => sp.GetService<TableServiceClient>() is { } tables
            ? new TableDraftLessonStore(tables.GetTableClient(settings.DraftTableName), settings, sp.GetService<TimeProvider>() ?? TimeProvider.System)
            : new InMemoryDraftLessonStore(settings, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
