using System.Text.Json;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Leads;

public sealed class LeadContactTests
{
    [Theory]
    [InlineData("+7 916 123-45-67", "RU", "+79161234567", true)]
    [InlineData("8 (916) 123-45-67", "RU", "+79161234567", true)]
    [InlineData("+7 495 123-45-67", "RU", "+74951234567", false)]
    [InlineData("+1 (212) 555-0123", "US", "+12125550123", true)]
    [InlineData("030 1234567", "DE", "+49301234567", false)]
    public void ParsePhone_NormalisesToE164(string raw, string country, string e164, bool mobile)
    {
        var phone = LeadContact.ParsePhone(raw, country, out var error);
        Assert.Null(error);
        Assert.Equal(e164, phone!.E164);
        Assert.Equal(country, phone.CountryCode);
        Assert.Equal(mobile, phone.IsMobile);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("hello", "not a phone")]
    [InlineData("+7 916 12", "not a valid")]
    [InlineData("+7 800 555-35-35", "mobile or landline")]
    [InlineData("+7 916 123 45 67 89 01 23 45 67 89 01 23", "at most")]
    public void ParsePhone_ExplainsBadNumbers(string? raw, string expected)
    {
        Assert.Null(LeadContact.ParsePhone(raw, "RU", out var error));
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(" Ivan.Petrov@Example.COM ", "ivan.petrov@example.com", null)]
    [InlineData("no-at-sign", null, "not a valid")]
    [InlineData("a@b", null, "not a valid")]
    [InlineData("x@mailinator.com", null, "disposable")]
    [InlineData("x@inbox.yopmail.com", null, "disposable")]
    [InlineData("", null, null)]
    public void NormalizeEmail_LowercasesAndRefusesBadOrDisposable(string raw, string? expected, string? error)
    {
        Assert.Equal(expected, LeadContact.NormalizeEmail(raw, out var e));
        if (error is null) Assert.Null(e);
        else Assert.Contains(error, e);
    }

    [Fact]
    public void Masks_HideAllButTheShape()
    {
        Assert.Equal("I*** P*****", LeadContact.MaskName("Ivan Petrov"));
        Assert.Equal("+7916***4567", LeadContact.MaskPhone("+79161234567"));
        Assert.Equal("i***@example.com", LeadContact.MaskEmail("ivan@example.com"));
    }
}

public sealed class LeadScoringTests
{
    private static ScoringFacts Facts(bool mobile = true, bool email = true, int filled = 2, int total = 2, bool consent = true, string? timeframe = "now",
        bool budget = true, int? fill = 40, double? returns = 0.01) => new(mobile, email, filled, total, consent, timeframe, budget, fill, returns);

    [Fact]
    public void BestLead_Scores100AndIsHot()
    {
        var score = LeadScoring.Score(Facts(), ScoringWeights.Default, 70, 40);
        Assert.Equal(100, score.Score);
        Assert.Equal(Temperature.Hot, score.Temperature);
        Assert.StartsWith("hot: 100 = phone mobile 25 + email 10 + completeness 15", score.Explain());
    }

    [Theory]
    [InlineData(false, false, 0, "later", false, 5, 0.5, 12, Temperature.Cold)]   // landline only
    [InlineData(true, true, 1, "1-3 months", false, null, null, 69, Temperature.Warm)]
    [InlineData(true, true, 2, "now", true, 40, 0.10, 97, Temperature.Hot)]
    public void Score_AddsThePointsOfEachSignal(bool mobile, bool email, int filled, string timeframe, bool budget, int? fill, double? returns,
        int expected, Temperature temperature)
    {
        var score = LeadScoring.Score(Facts(mobile, email, filled, 2, consent: filled > 0, timeframe, budget, fill, returns), ScoringWeights.Default, 75, 45);
        Assert.Equal(expected, score.Score);
        Assert.Equal(temperature, score.Temperature);
        Assert.Equal(expected, score.Lines.Sum(l => l.Points));
    }

    [Fact]
    public void Thresholds_ArePerNiche()
    {
        var facts = Facts(timeframe: null, budget: false);
        Assert.Equal(Temperature.Hot, LeadScoring.Score(facts, ScoringWeights.Default, 70, 40).Temperature);
        Assert.Equal(Temperature.Warm, LeadScoring.Score(facts, ScoringWeights.Default, 80, 40).Temperature);
    }
}

public sealed class LeadFieldsTests
{
    private static readonly NicheField[] Definition =
    [
        new("deal_type", "Deal type", LeadFieldType.Choice, true, ["buy", "sell"]),
        new("rooms", "Rooms", LeadFieldType.Integer, false),
        new("budget", "Budget", LeadFieldType.Decimal, true),
        new("mortgage", "Mortgage", LeadFieldType.Boolean, false),
        new("note", "Note", LeadFieldType.Text, false),
    ];

    private static Dictionary<string, JsonElement> Given(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void ValidFields_AreNormalised()
    {
        var (values, errors) = LeadFields.Check(Definition, Given("""{"deal_type":"BUY","rooms":"2","budget":1200000.5,"mortgage":"true","note":" hi "}"""));
        Assert.Empty(errors);
        Assert.Equal("buy", values["deal_type"]);
        Assert.Equal("2", values["rooms"]);
        Assert.Equal("1200000.5", values["budget"]);
        Assert.Equal("true", values["mortgage"]);
        Assert.Equal("hi", values["note"]);
    }

    [Theory]
    [InlineData("""{"budget":1}""", "fields.deal_type")]
    [InlineData("""{"deal_type":"rent","budget":1}""", "fields.deal_type")]
    [InlineData("""{"deal_type":"buy","budget":1,"rooms":2.5}""", "fields.rooms")]
    [InlineData("""{"deal_type":"buy","budget":"lots"}""", "fields.budget")]
    [InlineData("""{"deal_type":"buy","budget":1,"mortgage":"maybe"}""", "fields.mortgage")]
    [InlineData("""{"deal_type":"buy","budget":1,"colour":"red"}""", "fields.colour")]
    public void BadFields_NameTheField(string json, string field) =>
        Assert.Contains(LeadFields.Check(Definition, Given(json)).Errors, e => e.Field == field);
}
