using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Web.Models;

/// <summary>
/// The webmaster's lead API guide (/Webmaster/LeadApi): the endpoint, and a curl example for one niche whose body the API
/// accepts as it is (the niche's fields with sample values, its consent text), so a copy works before it is adapted.
/// </summary>
public sealed record LeadApiPage(string BaseUrl, IReadOnlyList<NicheDto> Niches, NicheDto? Niche, DateTime NowUtc)
{
    /// <summary>The example's region; its phone is a Russian number to match.</summary>
    public const string Region = "RU-MOW";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Consent texts in Russian stay readable in the example instead of \u-escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Endpoint => BaseUrl + "/api/v1/leads";

    /// <summary>The example lead, as JSON: what <see cref="Curl"/> sends.</summary>
    public string Body => Niche is not { } niche ? "" : JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["niche"] = niche.Code,
        ["region"] = Region,
        ["name"] = "Ivan Petrov",
        ["phone"] = "+7 916 123-45-67",
        ["email"] = "ivan.petrov@example.com",
        ["fields"] = niche.Fields.ToDictionary(f => f.Key, SampleValue),
        ["consent"] = new Dictionary<string, object?>
        {
            ["text"] = niche.ConsentText,
            ["givenAt"] = NowUtc.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["pageUrl"] = "https://your-site.example/form",
            ["ip"] = "203.0.113.5",
        },
        ["sub1"] = "campaign-1",
        ["formFillSeconds"] = 45,
    }, Json);

    /// <summary>The body goes in a quoted here-document: whatever quotes the consent text has, the shell passes it as it is.</summary>
    public string Curl => $"""
        curl -s -X POST "{Endpoint}" \
          -H "X-Api-Key: $LEADEX_API_KEY" \
          -H "Content-Type: application/json" \
          -H "Idempotency-Key: $(uuidgen)" \
          --data-binary @- <<'JSON'
        {Body}
        JSON
        """;

    public string NicheCurl => $"curl -s \"{BaseUrl}/api/v1/niches/{Niche?.Code}\" -H \"X-Api-Key: $LEADEX_API_KEY\"";

    /// <summary>A value the field accepts (not a realistic one): the first choice, a small number, true, or a word.</summary>
    public static object SampleValue(NicheField field) => field.Type switch
    {
        LeadFieldType.Choice => field.Choices is { Count: > 0 } choices ? choices[0] : "",
        LeadFieldType.Integer => 2,
        LeadFieldType.Decimal => 1000.5m,
        LeadFieldType.Boolean => true,
        _ => "example",
    };
}
