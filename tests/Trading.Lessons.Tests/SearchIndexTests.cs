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
    public void Query_expansion_adds_domain_synonyms_only_to_queries()
    {
        Assert.Contains("fomc", LessonTokenizer.TokenizeQuery("Fed decision today"));
        Assert.DoesNotContain("fomc", LessonTokenizer.Tokenize("Fed decision today"));
        Assert.Contains("cpi", LessonTokenizer.TokenizeQuery("inflation print"));
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
    public void Two_stage_index_finds_the_same_top_rows_as_the_exact_scan()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 3; trial++)
        {
            var dims = trial == 0 ? 1536 : random.Next(33, 200); // 1536 and odd sizes exercise the AVX2 loop and its tail
            var rows = Enumerable.Range(0, 5000)
                .Select(_ => Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
                .ToList();
            var query = rows[17].Select(v => v + (float)(random.NextDouble() * 0.2 - 0.1)).ToArray();
            var twoStage = new VectorIndex(rows);
            var exact = new VectorIndex(rows, twoStageMinRows: int.MaxValue);
            Assert.True(twoStage.IsTwoStage);
            Assert.False(exact.IsTwoStage);
            var fast = new float[rows.Count];
            var slow = new float[rows.Count];

            twoStage.Score(query, fast);
            exact.Score(query, slow);

            static int[] Top(float[] s) => Enumerable.Range(0, s.Length).OrderByDescending(i => s[i]).Take(20).ToArray();
            Assert.Equal(Top(slow), Top(fast));
            Assert.Equal(17, Top(fast)[0]);
            for (var i = 0; i < rows.Count; i++)
                Assert.True(Math.Abs(fast[i] - slow[i]) < 0.02, $"row {i}: {fast[i]} vs {slow[i]} (dims {dims})");
        }
    }

    [Fact]
    public void Int8_kernels_agree_with_the_scalar_dot_product()
    {
        var random = new Random(99);
        var kernels = new List<VectorIndex.Int8Kernel> { VectorIndex.Int8Kernel.Scalar };
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            kernels.Add(VectorIndex.Int8Kernel.Avx2);
        if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported)
            kernels.Add(VectorIndex.Int8Kernel.AvxVnni);
        for (var trial = 0; trial < 200; trial++)
        {
            var length = random.Next(0, 1600);
            var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var expected = a.Zip(b, (x, y) => x * y).Sum();

            foreach (var kernel in kernels)
                Assert.Equal(expected, VectorIndex.DotInt8(a, b, kernel));
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
