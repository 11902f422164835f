using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LeadExchange.Application.Leads;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Reference;
using LeadExchange.Domain.Tracking;
using Microsoft.AspNetCore.DataProtection;

namespace LeadExchange.Web.Models;

/// <summary>
/// What the hosted form (/f/{code}) posts. Every value binds as text, so no input can fail model binding; the lead intake
/// checks them and names the field of each error. <see cref="Website"/> is the honeypot: hidden from people, filled by bots.
/// </summary>
public sealed class HostedLeadFormModel
{
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Region { get; set; }
    /// <summary>"true" when the consent box is ticked.</summary>
    public string? Consent { get; set; }
    /// <summary>Niche fields by key: Fields[rooms].</summary>
    public Dictionary<string, string?> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Website { get; set; }
    /// <summary>The protected render time (<see cref="LeadFormTicket"/>).</summary>
    public string? Ticket { get; set; }
    public string? Sub1 { get; set; }
    public string? Sub2 { get; set; }
    public string? Sub3 { get; set; }
    public string? Sub4 { get; set; }
    public string? Sub5 { get; set; }

    public bool Consented => Consent is not null && (Consent.Equals("true", StringComparison.OrdinalIgnoreCase) || Consent.Equals("on", StringComparison.OrdinalIgnoreCase));

    public bool HoneypotFilled => !string.IsNullOrWhiteSpace(Website);

    public string? Field(string key) => Fields.GetValueOrDefault(key);

    /// <summary>Sub-ids from the link (?sub1=…) ride along in hidden fields; cut to the stored length so a long one never blocks a person.</summary>
    public void TakeSubs(string? sub1, string? sub2, string? sub3, string? sub4, string? sub5)
    {
        Sub1 = Clip(sub1);
        Sub2 = Clip(sub2);
        Sub3 = Clip(sub3);
        Sub4 = Clip(sub4);
        Sub5 = Clip(sub5);
    }

    /// <summary>
    /// The intake body: the niche and consent text come from the form's definition, never from the post; niche fields are
    /// typed as the niche defines them (numbers as JSON numbers when they parse, so the intake's messages stay about the value).
    /// </summary>
    public SubmitLeadInput ToInput(PublicLeadFormDto form, ConsentInput? consent, int fillSeconds) => new(
        form.NicheCode, Blank(Region), Blank(Name), Blank(Phone), Blank(Email), FieldValues(form.Fields), consent,
        OfferId: form.OfferId, Sub1: Clip(Sub1), Sub2: Clip(Sub2), Sub3: Clip(Sub3), Sub4: Clip(Sub4), Sub5: Clip(Sub5), FormFillSeconds: fillSeconds);

    private Dictionary<string, JsonElement> FieldValues(IReadOnlyList<NicheField> definition)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in definition)
        {
            var raw = Field(field.Key)?.Trim();
            if (field.Type == LeadFieldType.Boolean)
            {
                var ticked = raw is not null && (raw.Equals("true", StringComparison.OrdinalIgnoreCase) || raw.Equals("on", StringComparison.OrdinalIgnoreCase));
                // An unticked box is an answer ("no") only where the niche needs one; otherwise the field stays unanswered.
                if (ticked || field.Required) values[field.Key] = JsonSerializer.SerializeToElement(ticked);
                continue;
            }
            if (string.IsNullOrEmpty(raw)) continue;
            values[field.Key] = field.Type is LeadFieldType.Integer or LeadFieldType.Decimal
                                && decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                ? JsonSerializer.SerializeToElement(number)
                : JsonSerializer.SerializeToElement(raw);
        }
        return values;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Clip(string? value)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > Click.SubMaxLength ? text[..Click.SubMaxLength] : text;
    }

    /// <summary>
    /// The form input an intake error belongs beside ("fields.rooms" → "Fields[rooms]", "consent.text" → "Consent"); "" for
    /// errors a visitor cannot fix at one input (they show above the form).
    /// </summary>
    public static string InputFor(string field) => field switch
    {
        "name" => nameof(Name),
        "phone" => nameof(Phone),
        "email" => nameof(Email),
        "region" => nameof(Region),
        _ when field.StartsWith("consent", StringComparison.Ordinal) => nameof(Consent),
        _ when field.StartsWith("fields.", StringComparison.Ordinal) => $"{nameof(Fields)}[{field["fields.".Length..]}]",
        _ => "",
    };
}

/// <summary>The hosted form page: the form's definition, what was typed, whether it is framed (?embed=1) and a message above it.</summary>
public sealed record HostedLeadFormPage(PublicLeadFormDto Form, HostedLeadFormModel Post, bool Embed, string? Message = null)
{
    public string Heading => Form.Title ?? Form.NicheName;

    /// <summary>Regions by country: each country's own entry first, then its subdivisions.</summary>
    public IEnumerable<IGrouping<string, Application.Reference.RegionDto>> RegionGroups =>
        Form.Regions.GroupBy(r => r.CountryCode);

    public static string CountryName(IGrouping<string, Application.Reference.RegionDto> group) =>
        group.FirstOrDefault(r => r.ParentCode is null)?.Name ?? group.Key;
}

/// <summary>What the thank-you, try-later and not-available pages of a hosted form need.</summary>
public sealed record HostedLeadFormNotice(bool Embed, int? RetryAfterSeconds = null);

/// <summary>
/// The fill-time measure of a hosted form: the form code, the render time and the page it was shown on, protected with
/// ASP.NET Core Data Protection (authenticated encryption with the app's key ring, shared by every node), so a bot can
/// neither forge an older render time nor reuse one form's ticket on another.
/// </summary>
public static class LeadFormTicket
{
    public const string Purpose = "LeadExchange.LeadForms.FillTime.v1";

    private sealed record Payload(string C, long T, string? R);

    public sealed record Contents(DateTime RenderedAt, string? PageUrl);

    public static string Issue(IDataProtector protector, string code, DateTime now, string? pageUrl) =>
        protector.Protect(JsonSerializer.Serialize(new Payload(code, now.Ticks, pageUrl is { Length: <= Lead.UrlMaxLength } ? pageUrl : null)));

    /// <summary>The ticket's contents, or null when it is missing, forged, damaged or from another form.</summary>
    public static Contents? Read(IDataProtector protector, string? ticket, string code)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 4000) return null;
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(protector.Unprotect(ticket));
            return payload is null || payload.C != code ? null : new Contents(new DateTime(payload.T, DateTimeKind.Utc), payload.R);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
