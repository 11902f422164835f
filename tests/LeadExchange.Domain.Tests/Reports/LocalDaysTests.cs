using LeadExchange.Domain.Reports;

namespace LeadExchange.Domain.Tests.Reports;

public sealed class LocalDaysTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    [Fact]
    public void MoscowDay_IsTwentyFourHours_StartingAt21Utc()
    {
        var (start, end) = LocalDays.HourRange(new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 23), Zone("Europe/Moscow"));
        Assert.Equal(new DateTime(2026, 11, 22, 21, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(TimeSpan.FromHours(24), end - start);
    }

    [Theory]
    [InlineData("Europe/Berlin", 2026, 3, 29, 23)]   // spring forward
    [InlineData("Europe/Berlin", 2026, 10, 25, 25)]  // fall back
    [InlineData("America/New_York", 2026, 3, 8, 23)]
    [InlineData("America/New_York", 2026, 11, 1, 25)]
    public void DstChangeDays_Are23Or25Hours(string zone, int y, int m, int d, int hours)
    {
        var day = new DateOnly(y, m, d);
        var (start, end) = LocalDays.HourRange(day, day, Zone(zone));
        Assert.Equal(TimeSpan.FromHours(hours), end - start);
        // Every hour of the range belongs to that day, and the hours around it do not.
        for (var h = start; h < end; h = h.AddHours(1)) Assert.Equal(day, LocalDays.DayOf(h, Zone(zone)));
        Assert.Equal(day.AddDays(-1), LocalDays.DayOf(start.AddHours(-1), Zone(zone)));
        Assert.Equal(day.AddDays(1), LocalDays.DayOf(end, Zone(zone)));
    }

    [Fact]
    public void MidnightThatDoesNotExist_StartsTheDayAtTheFirstValidTime()
    {
        // America/Santiago springs forward at 00:00 (to 01:00) on the first Sunday of September.
        var zone = Zone("America/Santiago");
        var day = new DateOnly(2026, 9, 6);
        var start = LocalDays.StartUtc(day, zone);
        Assert.Equal(new DateTime(2026, 9, 6, 1, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(start, zone));
    }

    [Fact]
    public void HalfHourZone_EachHourBelongsToExactlyOneDay()
    {
        var zone = Zone("Asia/Kolkata");
        var (start, end) = LocalDays.HourRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 3), zone);
        var days = new Dictionary<DateOnly, int>();
        for (var h = start; h < end; h = h.AddHours(1)) days[LocalDays.DayOf(h, zone)] = days.GetValueOrDefault(LocalDays.DayOf(h, zone)) + 1;
        Assert.Equal([new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3)], days.Keys.Order().ToArray());
        Assert.All(days.Values, v => Assert.Equal(24, v));
    }
}

public sealed class ReportFiguresTests
{
    [Fact]
    public void Ratios_AreNullWithoutADenominator_AndMoneyIsPerPerspective()
    {
        var empty = ReportFigures.From(new ReportCounters(), ReportPerspective.Webmaster);
        Assert.Null(empty.ConversionRate);
        Assert.Null(empty.Epc);
        Assert.Null(empty.ReturnRate);

        var c = new ReportCounters
        {
            Clicks = 200, ConversionsApproved = 3, ConversionsPending = 1, ConversionsRejected = 5, ConversionCost = 40_000, ConversionPayout = 28_000,
            Sales = 4, SalesAmount = 100_000, SellerShare = 85_000, Returns = 1, ReturnedAmount = 25_000, ReturnedSellerShare = 21_250,
            SalesRevenue = 300_000,
        };
        var webmaster = ReportFigures.From(c, ReportPerspective.Webmaster);
        Assert.Equal(4, webmaster.Conversions);
        Assert.Equal(2m, webmaster.ConversionRate);
        Assert.Equal(28_000 + 85_000 - 21_250, webmaster.Earnings);
        Assert.Equal(25m, webmaster.ReturnRate);
        Assert.Null(webmaster.Roi);

        var advertiser = ReportFigures.From(c, ReportPerspective.Advertiser);
        Assert.Equal(4, advertiser.Leads);
        Assert.Equal(40_000 + 75_000, advertiser.Spend);
        Assert.Equal(25_000m, advertiser.Cpl);
        Assert.Equal(10_000m, advertiser.Cpa);
        Assert.Equal(Math.Round((300_000m - 115_000m) * 100 / 115_000m, 2), advertiser.Roi);
    }
}
