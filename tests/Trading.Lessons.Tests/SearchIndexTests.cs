using System.Numerics.Tensors;
using Trading.Lessons.Search;

namespace Trading.Lessons.Tests;

public sealed class SearchIndexTests
{
    [Fact]
    public void Bm25_ranks_the_document_with_the_rare_term_first()
    {
        var index = new Bm25Index(
        [
            "the credit on the order was wrong",
            "assignment before the dividend on the short call",
            "the order credit and the order debit",
        ]);
        var scores = new float[3];

        var matched = index.Score("dividend assignment", scores);

        Assert.Equal(1, matched);
        Assert.True(scores[1] > 0);
        Assert.Equal(0, scores[0]);
        Assert.Equal(0, scores[2]);
    }

    [Fact]
    public void Bm25_prefers_higher_term_frequency_in_documents_of_equal_length()
    {
        var index = new Bm25Index(["gap gap risk wing", "gap risk wing width", "other words entirely here"]);
        var scores = new float[3];

        index.Score("gap", scores);

        Assert.True(scores[0] > scores[1], $"{scores[0]} <= {scores[1]}");
    }

    [Fact]
    public void Tokenizer_meets_word_forms_and_drops_stop_words()
    {
        Assert.Equal(LessonTokenizer.Tokenize("assignments"), LessonTokenizer.Tokenize("assignment"));
        Assert.Equal(LessonTokenizer.Tokenize("losses"), LessonTokenizer.Tokenize("loss"));
        Assert.Equal(LessonTokenizer.Tokenize("strikes"), LessonTokenizer.Tokenize("strike"));
        Assert.Equal(["condor", "spy"], LessonTokenizer.Tokenize("The condor on SPY"));
    }

    [Fact]
    public void Vector_index_scores_equal_cosine_similarity_for_seeded_random_vectors()
    {
        var random = new Random(20261121);
        for (var trial = 0; trial < 20; trial++)
        {
            var dims = random.Next(1, 300);
            var rows = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
                .ToList();
            var query = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var index = new VectorIndex(rows);
            var scores = new float[rows.Count];

            index.Score(query, scores);

            for (var r = 0; r < rows.Count; r++)
                Assert.Equal(TensorPrimitives.CosineSimilarity(rows[r], query), scores[r], 4);
        }
    }

    [Fact]
    public void Vector_index_rejects_mismatched_dimensions()
    {
        Assert.Throws<ArgumentException>(() => new VectorIndex([new float[3], new float[4]]));
        var index = new VectorIndex([new float[] { 1, 0 }]);
        Assert.Throws<ArgumentException>(() => index.Score(new float[3], new float[1]));
    }
}
