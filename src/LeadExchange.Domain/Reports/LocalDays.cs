namespace LeadExchange.Domain.Reports;

/// <summary>
/// Calendar days in a user's time zone mapped onto UTC hours, the grain of the rollups. DST-safe: a local day is
/// [local midnight, next local midnight) converted to UTC, so it is 23 or 25 hours long on change days; a midnight
/// that does not exist (a zone that springs forward at 00:00) starts the day at the first local time that does.
/// Zones whose offset is not a whole number of hours (Asia/Kolkata +05:30) split at the hour that contains local
/// midnight: a fact between 23:30 and 00:00 local may land on the neighbouring day (documented limit).
/// </summary>
public static class LocalDays
{
    /// <summary>The UTC instant at which <paramref name="day"/> starts in <paramref name="zone"/>.</summary>
    public static DateTime StartUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Skip forward over an invalid (sprung-forward) local midnight, minute by minute up to the gap's size.
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 24 * 60) local = local.AddMinutes(1);
        // An ambiguous midnight (fall back at 00:00) starts at its first occurrence: the larger offset.
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>[start, end) in UTC of the local days <paramref name="from"/>..<paramref name="to"/> inclusive, widened to whole hours.</summary>
    public static (DateTime StartUtc, DateTime EndUtc) HourRange(DateOnly from, DateOnly to, TimeZoneInfo zone) =>
        (ReportRollup.HourOf(StartUtc(from, zone)), ReportRollup.HourOf(StartUtc(to.AddDays(1), zone)));

    /// <summary>
    /// The local calendar day an hour bucket belongs to, consistent with <see cref="HourRange"/>: day D owns the hours
    /// from the hour containing D's local midnight up to (not including) the hour containing the next one.
    /// </summary>
    public static DateOnly DayOf(DateTime hourUtc, TimeZoneInfo zone)
    {
        var hour = DateTime.SpecifyKind(hourUtc, DateTimeKind.Utc);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(hour, zone));
        return hour >= ReportRollup.HourOf(StartUtc(day.AddDays(1), zone)) ? day.AddDays(1) : day;
    }
}
