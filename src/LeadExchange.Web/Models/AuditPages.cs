using System.Globalization;
using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Models;

namespace LeadExchange.Web.Models;

/// <summary>The audit page's filters, from the query string; From and To are UTC days, both inclusive.</summary>
public sealed class AuditFilter
{
    public string? Action { get; set; }
    public string? ActorId { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public int? Page { get; set; }

    public ListAuditEntriesQuery ToQuery(int? page, int? pageSize) => new(
        Blank(Action), Blank(ActorId), Blank(TargetType), Blank(TargetId),
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), page, pageSize);

    public Dictionary<string, string> RouteValues()
    {
        var values = new Dictionary<string, string>();
        void Put(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) values[key] = value;
        }
        Put("action", Action);
        Put("actorId", ActorId);
        Put("targetType", TargetType);
        Put("targetId", TargetId);
        Put("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Put("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return values;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record AuditPage(AuditFilter Filter, PagedResult<AuditEntryDto> Entries)
{
    /// <summary>The action codes offered in the filter.</summary>
    public static IReadOnlyList<string> Actions => AuditActions.All;

    public static readonly IReadOnlyList<CsvColumn<AuditEntryDto>> CsvColumns =
    [
        CsvColumn<AuditEntryDto>.Text("At (UTC)", e => e.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        CsvColumn<AuditEntryDto>.Text("Actor id", e => e.ActorId),
        CsvColumn<AuditEntryDto>.Text("Actor email", e => e.ActorEmail),
        CsvColumn<AuditEntryDto>.Text("Action", e => e.Action),
        CsvColumn<AuditEntryDto>.Text("Target type", e => e.TargetType),
        CsvColumn<AuditEntryDto>.Text("Target id", e => e.TargetId),
        CsvColumn<AuditEntryDto>.Text("Before", e => e.Before),
        CsvColumn<AuditEntryDto>.Text("After", e => e.After),
    ];
}
