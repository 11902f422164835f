using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Tests.Common;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("\u202A")] [InlineData("\u202B")] [InlineData("\u202C")] [InlineData("\u202D")] [InlineData("\u202E")]
    [InlineData("\u2066")] [InlineData("\u2067")] [InlineData("\u2068")] [InlineData("\u2069")]
    [InlineData("\u200E")] [InlineData("\u200F")] [InlineData("\u061C")]
    [InlineData("\u200B")] [InlineData("\u200C")] [InlineData("\u200D")] [InlineData("\u2060")] [InlineData("\uFEFF")] [InlineData("\u00AD")]
    [InlineData("\u0000")] [InlineData("\t")] [InlineData("\r")] [InlineData("\n")] [InlineData("\u007F")] [InlineData("\u0085")]
    [InlineData("\u2028")] [InlineData("\u2029")] [InlineData("\u3164")]
    public void HasHiddenCharacters_WhenAnInvisibleControlOrDirectionCharacterIsAnywhere_IsTrue(string hidden)
    {
        Assert.True(DisplayText.HasHiddenCharacters(hidden));
        Assert.True(DisplayText.HasHiddenCharacters("Sber" + hidden + "bank"));
        Assert.True(DisplayText.HasHiddenCharacters("Sberbank" + hidden));
    }

    [Fact]
    public void HasHiddenCharacters_WhenASurrogateIsUnpaired_IsTrue()
    {
        Assert.True(DisplayText.HasHiddenCharacters("Sber" + '\uD800' + "bank"));
        Assert.True(DisplayText.HasHiddenCharacters("Sberbank" + '\uDC00'));
        Assert.True(DisplayText.HasHiddenCharacters('\uDC00' + "\uD83D\uDE42"));
    }

    [Theory]
    [InlineData("Sberbank")]
    [InlineData("Анна Петрова")]
    [InlineData("O'Neil-Smith & Co. (RU)")]
    [InlineData("عمر خالد")]
    [InlineData("李小龍")]
    [InlineData("Café 🙂 🇷🇺")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("")]
    [InlineData(null)]
    public void HasHiddenCharacters_WhenLettersOfAnyScriptPunctuationOrEmoji_IsFalse(string? text) =>
        Assert.False(DisplayText.HasHiddenCharacters(text));
}
