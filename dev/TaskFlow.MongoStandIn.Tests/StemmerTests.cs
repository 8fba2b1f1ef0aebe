using TaskFlow.MongoStandIn.Query;

namespace TaskFlow.MongoStandIn.Tests;

[Trait("Category", "Unit")]
public sealed class StemmerTests
{
    [Theory]
    [InlineData("consign", "consign")]
    [InlineData("consigned", "consign")]
    [InlineData("consignment", "consign")]
    [InlineData("consistency", "consist")]
    [InlineData("consistently", "consist")]
    [InlineData("consolation", "consol")]
    [InlineData("consolatory", "consolatori")]
    [InlineData("consolidated", "consolid")]
    [InlineData("consolingly", "consol")]
    [InlineData("consonant", "conson")]
    [InlineData("conspicuously", "conspicu")]
    [InlineData("conspiracy", "conspiraci")]
    [InlineData("conspirators", "conspir")]
    [InlineData("constables", "constabl")]
    [InlineData("constancy", "constanc")]
    [InlineData("knackeries", "knackeri")]
    [InlineData("kneaded", "knead")]
    [InlineData("knightly", "knight")]
    [InlineData("knitted", "knit")]
    [InlineData("knives", "knive")]
    [InlineData("knowledge", "knowledg")]
    [InlineData("running", "run")]
    [InlineData("tasks", "task")]
    [InlineData("skies", "sky")]
    [InlineData("generously", "generous")]
    [InlineData("cries", "cri")]
    [InlineData("ties", "tie")]
    public void Porter2_stems_like_snowball(string word, string stem) => Assert.Equal(stem, EnglishStemmer.Stem(word));
}
