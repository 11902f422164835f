using System.Text.RegularExpressions;
using LeadExchange.Web.Infrastructure.Localization;

namespace LeadExchange.IntegrationTests.Mvc;

/// <summary>The translation files themselves: each parses, has no empty value, keeps every placeholder, and they embed without conflicts.</summary>
public sealed partial class TranslationFilesTests
{
    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    public static TheoryData<string> RussianFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RussianFolder(), "*.json").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RussianFiles))]
    public void RussianFile_WhenParsed_HasOnlyNonEmptyTranslationsWithTheSamePlaceholders(string name)
    {
        var pairs = Translations.Parse(name, File.ReadAllText(Path.Combine(RussianFolder(), name))).ToList();

        Assert.NotEmpty(pairs);
        foreach (var (key, value) in pairs)
        {
            Assert.False(string.IsNullOrWhiteSpace(value), $"{name}: \"{key}\" has an empty translation.");
            var expected = Placeholder().Matches(key).Select(m => m.Value).Order().ToList();
            var actual = Placeholder().Matches(value).Select(m => m.Value).Order().ToList();
            Assert.True(expected.SequenceEqual(actual), $"{name}: \"{key}\" and its translation use different placeholders.");
        }
    }

    [Fact]
    public void EmbeddedTranslations_WhenLoaded_HaveEveryRussianFileAndNoConflicts()
    {
        var embedded = Translations.Embedded(typeof(Program).Assembly).ToList();

        var translations = new Translations(embedded); // throws on a key translated two ways
        Assert.Contains("ru", translations.Cultures);
        Assert.Equal(Directory.GetFiles(RussianFolder(), "*.json").Length, embedded.Count(f => f.Culture == "ru"));
    }

    [Fact]
    public void Translations_WhenAKeyIsTranslatedTwoWays_RefuseToLoad()
    {
        var files = new[] { ("ru", "a.json", "{\"Save\": \"Сохранить\"}"), ("ru", "b.json", "{\"Save\": \"Записать\"}") };

        var error = Assert.Throws<InvalidOperationException>(() => new Translations(files));
        Assert.Contains("a.json", error.Message);
        Assert.Contains("b.json", error.Message);
    }

    private static string RussianFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LeadExchange.sln")))
                return Path.Combine(dir.FullName, "src", "LeadExchange.Web", "Resources", "i18n", "ru");
        throw new InvalidOperationException("LeadExchange.sln not found above " + AppContext.BaseDirectory);
    }
}
