using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Buying;

public sealed class LeadOrderTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    private static LeadOrderTerms Terms(
        string name = "Moscow flats", string niche = "real-estate", string[]? regions = null, long maxPrice = 50_000,
        Temperature minTemperature = Temperature.Warm, bool exclusive = true, int? dailyCap = 5, int? monthlyCap = 100, long? budget = 1_000_000,
        DayOfWeek[]? days = null, int hourFrom = 0, int hourTo = 24, string timeZone = "Europe/Moscow") =>
        new(name, niche, regions ?? ["RU-MOW"], maxPrice, minTemperature, exclusive, dailyCap, monthlyCap, budget, days ?? EveryDay, hourFrom, hourTo,
            timeZone);

    private static LeadOrder Order(LeadOrderTerms? terms = null) => LeadOrder.Create("adv-1", "RUB", terms ?? Terms(), Now);

    private static string[] Fields(LeadOrderTerms terms) => LeadOrder.Validate(terms).Select(e => e.Field).ToArray();

    /// <summary>A tiny region tree: countries RU and US, with subdivisions.</summary>
    private static string? ParentOf(string code) => code switch
    {
        "RU-MOW" or "RU-SPE" or "RU-MOS" => "RU",
        "US-CA" => "US",
        _ => null,
    };

    private static void SetSpent(LeadOrder order, long spent) =>
        // Spent only moves in the sale transaction (a conditional update in SQL); a test sets it the same way a loaded row would have it.
        typeof(LeadOrder).GetProperty(nameof(LeadOrder.Spent))!.SetValue(order, spent);

    [Fact]
    public void Validate_WhenTermsAreValid_ReturnsNoErrors() => Assert.Empty(LeadOrder.Validate(Terms()));

    public static TheoryData<string, LeadOrderTerms> BrokenTerms => new()
    {
        { "name", Terms(name: "  ") },
        { "name", Terms(name: new string('n', LeadOrder.NameMaxLength + 1)) },
        { "niche", Terms(niche: "") },
        { "regions", Terms(regions: ["Moscow"]) },
        { "regions", Terms(regions: ["RU-TOOLONG"]) },
        { "regions", Terms(regions: Enumerable.Range(0, LeadOrder.MaxRegions + 1).Select(i => $"RU-{i}").ToArray()) },
        { "maxPrice", Terms(maxPrice: 0) },
        { "dailyCap", Terms(dailyCap: 0) },
        { "dailyCap", Terms(dailyCap: 10, monthlyCap: 9) },
        { "monthlyCap", Terms(dailyCap: null, monthlyCap: 0) },
        { "budget", Terms(budget: 0) },
        { "budget", Terms(maxPrice: 50_000, budget: 49_999) },
        { "days", Terms(days: []) },
        { "hourFrom", Terms(hourFrom: 24, hourTo: 6) },
        { "hourFrom", Terms(hourFrom: -1) },
        { "hourTo", Terms(hourFrom: 9, hourTo: 0) },
        { "hourTo", Terms(hourTo: 25) },
        { "hourTo", Terms(hourFrom: 9, hourTo: 9) },
        { "timeZone", Terms(timeZone: "Mars/Olympus") },
        { "timeZone", Terms(timeZone: "") },
    };

    [Theory]
    [MemberData(nameof(BrokenTerms))]
    public void Validate_WhenOneRuleIsBroken_NamesOnlyThatField(string field, LeadOrderTerms terms) => Assert.Equal([field], Fields(terms).Distinct());

    [Fact]
    public void Validate_WhenSeveralRulesAreBroken_ReturnsEveryField()
    {
        var fields = Fields(Terms(name: "", maxPrice: -1, budget: null, days: [], timeZone: "Nowhere/Land"));

        Assert.Equal(["name", "maxPrice", "days", "timeZone"], fields);
    }

    [Fact]
    public void Validate_WhenOptionalLimitsAreEmpty_ReturnsNoErrors() =>
        Assert.Empty(LeadOrder.Validate(Terms(regions: [], dailyCap: null, monthlyCap: null, budget: null)));

    [Fact]
    public void Create_WhenTermsAreInvalid_ThrowsWithEveryError()
    {
        var ex = Assert.Throws<LeadOrderInvalidException>(() => Order(Terms(name: "", maxPrice: 0)));

        Assert.Equal(["name", "maxPrice"], ex.Errors.Select(e => e.Field));
        Assert.Equal("name", ex.Field);
    }

    [Fact]
    public void Create_WhenRegionsAreMixedCaseAndRepeated_StoresThemNormalized()
    {
        var order = Order(Terms(regions: [" ru-spe", "RU-MOW", "ru-mow"]));

        Assert.Equal(["RU-MOW", "RU-SPE"], order.Regions);
        Assert.Equal(LeadOrderStatus.Active, order.Status);
        Assert.Equal("RUB", order.Currency);
    }

    [Fact]
    public void Create_WhenSomeDaysArePicked_KeepsExactlyThoseDays()
    {
        var order = Order(Terms(days: [DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Monday]));

        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Friday], order.Days);
    }

    [Theory]
    // Europe/Moscow is UTC+3 all year: 09:00-18:00 local is 06:00-15:00 UTC.
    [InlineData("2026-11-20T05:59:59Z", false)]
    [InlineData("2026-11-20T06:00:00Z", true)]
    [InlineData("2026-11-20T14:59:59Z", true)]
    [InlineData("2026-11-20T15:00:00Z", false)]
    public void IsOpenAt_WhenWindowIsDaytime_UsesTheOrdersTimeZone(string utc, bool open)
    {
        var order = Order(Terms(hourFrom: 9, hourTo: 18, timeZone: "Europe/Moscow"));

        Assert.Equal(open, order.IsOpenAt(Utc(utc)));
    }

    [Theory]
    // New York, 22:00-06:00 local, EST (UTC-5) in November.
    [InlineData("2026-11-20T02:59:00Z", false)] // 21:59 local
    [InlineData("2026-11-20T03:00:00Z", true)]  // 22:00 local
    [InlineData("2026-11-20T08:00:00Z", true)]  // 03:00 local, after midnight
    [InlineData("2026-11-20T10:59:00Z", true)]  // 05:59 local
    [InlineData("2026-11-20T11:00:00Z", false)] // 06:00 local
    [InlineData("2026-11-20T17:00:00Z", false)] // 12:00 local
    public void IsOpenAt_WhenWindowWrapsMidnight_IsOpenOnBothSidesOfMidnight(string utc, bool open)
    {
        var order = Order(Terms(hourFrom: 22, hourTo: 6, timeZone: "America/New_York"));

        Assert.Equal(open, order.IsOpenAt(Utc(utc)));
    }

    [Fact]
    public void IsOpenAt_WhenZoneObservesDaylightSaving_FollowsTheLocalClock()
    {
        // 09:00-10:00 New York: 13:00Z in July (EDT, UTC-4), 14:00Z in December (EST, UTC-5).
        var order = Order(Terms(hourFrom: 9, hourTo: 10, timeZone: "America/New_York"));

        Assert.True(order.IsOpenAt(Utc("2026-07-15T13:30:00Z")));
        Assert.False(order.IsOpenAt(Utc("2026-07-15T14:30:00Z")));
        Assert.True(order.IsOpenAt(Utc("2026-12-15T14:30:00Z")));
        Assert.False(order.IsOpenAt(Utc("2026-12-15T13:30:00Z")));
    }

    [Fact]
    public void IsOpenAt_WhenLocalDayIsNotInTheMask_IsClosedEvenInsideTheHours()
    {
        // Weekdays only, all day, Moscow. 2026-11-20 is a Friday; 2026-11-21 a Saturday.
        var order = Order(Terms(days: [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]));

        Assert.True(order.IsOpenAt(Utc("2026-11-20T20:59:00Z")));  // Friday 23:59 in Moscow
        Assert.False(order.IsOpenAt(Utc("2026-11-20T21:00:00Z"))); // Saturday 00:00 in Moscow, still Friday in UTC
        Assert.True(order.IsOpenAt(Utc("2026-11-22T21:00:00Z")));  // Monday 00:00 in Moscow, still Sunday in UTC
    }

    [Fact]
    public void IsOpenAt_WhenOvernightWindowCrossesIntoAnUnpickedDay_CountsTheLocalDayOfTheInstant()
    {
        // Friday only, 22:00-06:00 Moscow: the schedule is per local day, so Saturday 01:00 is closed
        // and Friday 01:00 (the tail of Thursday night) is open.
        var order = Order(Terms(days: [DayOfWeek.Friday], hourFrom: 22, hourTo: 6));

        Assert.True(order.IsOpenAt(Utc("2026-11-20T19:30:00Z")));  // Friday 22:30
        Assert.False(order.IsOpenAt(Utc("2026-11-20T22:00:00Z"))); // Saturday 01:00
        Assert.True(order.IsOpenAt(Utc("2026-11-19T22:00:00Z")));  // Friday 01:00
        Assert.False(order.IsOpenAt(Utc("2026-11-20T12:00:00Z"))); // Friday 15:00
    }

    [Theory]
    [InlineData(0, 24, 0, true)]
    [InlineData(0, 24, 23, true)]
    [InlineData(22, 24, 23, true)]
    [InlineData(22, 24, 21, false)]
    [InlineData(0, 1, 0, true)]
    [InlineData(0, 1, 1, false)]
    public void IsOpenAt_WhenWindowTouchesMidnight_IncludesFromAndExcludesTo(int from, int to, int utcHour, bool open)
    {
        var order = Order(Terms(hourFrom: from, hourTo: to, timeZone: "UTC"));

        Assert.Equal(open, order.IsOpenAt(new DateTime(2026, 11, 20, utcHour, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void DayPeriod_WhenUtcDateDiffersFromLocalDate_UsesTheLocalDate()
    {
        var order = Order(Terms(timeZone: "Europe/Moscow"));

        Assert.Equal("d20261121", order.DayPeriod(Utc("2026-11-20T21:30:00Z")));
        Assert.Equal("m202612", order.MonthPeriod(Utc("2026-11-30T22:00:00Z")));
    }

    [Theory]
    [InlineData("RU-MOW", true)]  // named
    [InlineData("RU-SPE", true)]  // inside RU
    [InlineData("RU", true)]      // the country itself
    [InlineData("US-CA", false)]
    [InlineData("DE", false)]
    public void Covers_WhenOrderNamesACountry_CoversItsSubdivisions(string leadRegion, bool covered)
    {
        var order = Order(Terms(regions: ["RU"]));

        Assert.Equal(covered, order.Covers(leadRegion, ParentOf));
    }

    [Theory]
    [InlineData("RU-MOW", true)]
    [InlineData("RU-SPE", false)] // a sibling
    [InlineData("RU", false)]     // the parent is wider than the order
    [InlineData("US-CA", true)]
    public void Covers_WhenOrderNamesSubdivisions_CoversOnlyThose(string leadRegion, bool covered)
    {
        var order = Order(Terms(regions: ["RU-MOW", "US-CA"]));

        Assert.Equal(covered, order.Covers(leadRegion, ParentOf));
    }

    [Fact]
    public void Covers_WhenOrderHasNoRegions_CoversEveryRegion()
    {
        var order = Order(Terms(regions: []));

        Assert.True(order.Covers("DE-BY", ParentOf));
        Assert.True(order.Covers("RU-MOW", ParentOf));
    }

    [Theory]
    [InlineData(Temperature.Cold, false)]
    [InlineData(Temperature.Warm, true)]
    [InlineData(Temperature.Hot, true)]
    public void Accepts_WhenLeadIsAtLeastTheMinimumTemperature_IsTrue(Temperature lead, bool accepted) =>
        Assert.Equal(accepted, Order(Terms(minTemperature: Temperature.Warm)).Accepts(lead));

    [Fact]
    public void Pause_WhenReasonIsLong_PausesWithTheReasonCut()
    {
        var order = Order();

        order.Pause(new string('r', LeadOrder.ReasonMaxLength + 50), automatic: false, Now.AddHours(1));

        Assert.Equal(LeadOrderStatus.Paused, order.Status);
        Assert.Equal(LeadOrder.ReasonMaxLength, order.PausedReason!.Length);
        Assert.False(order.PausedAutomatically);
        Assert.Equal(Now.AddHours(1), order.PausedAt);
    }

    [Fact]
    public void Resume_WhenPaused_ClearsThePause()
    {
        var order = Order();
        order.Pause(LeadOrder.BalanceRanOutReason, automatic: true, Now);

        order.Resume(Now.AddMinutes(5));

        Assert.Equal(LeadOrderStatus.Active, order.Status);
        Assert.Null(order.PausedReason);
        Assert.Null(order.PausedAt);
        Assert.False(order.PausedAutomatically);
    }

    [Fact]
    public void Resume_WhenBudgetIsSpent_ThrowsAndStaysPaused()
    {
        var order = Order(Terms(maxPrice: 50_000, budget: 100_000));
        SetSpent(order, 100_000);
        order.Pause(LeadOrder.BudgetSpentReason, automatic: true, Now);

        var ex = Assert.Throws<DomainException>(() => order.Resume(Now.AddMinutes(1)));

        Assert.Equal("budget", ex.Field);
        Assert.Equal(LeadOrderStatus.Paused, order.Status);
    }

    [Fact]
    public void Update_WhenNicheChanges_ThrowsAndKeepsTheOrder()
    {
        var order = Order();

        var ex = Assert.Throws<DomainException>(() => order.Update(Terms(niche: "auto-loans", name: "Changed"), Now.AddHours(1)));

        Assert.Equal("niche", ex.Field);
        Assert.Equal("real-estate", order.NicheCode);
        Assert.Equal("Moscow flats", order.Name);
    }

    [Fact]
    public void Update_WhenTermsChange_AppliesThemAndKeepsNicheCurrencyAndSpend()
    {
        var order = Order();
        SetSpent(order, 30_000);

        order.Update(Terms(name: " Night shift ", regions: ["RU"], maxPrice: 70_000, hourFrom: 22, hourTo: 6, timeZone: "UTC"), Now.AddHours(1));

        Assert.Equal("Night shift", order.Name);
        Assert.Equal(["RU"], order.Regions);
        Assert.Equal(70_000, order.MaxPrice);
        Assert.Equal((22, 6, "UTC"), (order.HourFrom, order.HourTo, order.TimeZone));
        Assert.Equal("real-estate", order.NicheCode);
        Assert.Equal("RUB", order.Currency);
        Assert.Equal(30_000, order.Spent);
        Assert.Equal(Now.AddHours(1), order.UpdatedAt);
    }

    [Fact]
    public void Update_WhenTermsAreInvalid_ThrowsAndChangesNothing()
    {
        var order = Order();

        Assert.Throws<LeadOrderInvalidException>(() => order.Update(Terms(name: "Renamed", maxPrice: 0), Now.AddHours(1)));

        Assert.Equal("Moscow flats", order.Name);
        Assert.Equal(50_000, order.MaxPrice);
    }

    [Fact]
    public void Update_WhenBudgetPauseAndBudgetIsRaised_ResumesTheOrder()
    {
        var order = Order(Terms(maxPrice: 50_000, budget: 100_000));
        SetSpent(order, 100_000);
        order.Pause(LeadOrder.BudgetSpentReason, automatic: true, Now);

        order.Update(Terms(maxPrice: 50_000, budget: 200_000), Now.AddHours(1));

        Assert.Equal(LeadOrderStatus.Active, order.Status);
        Assert.Null(order.PausedReason);
    }

    [Fact]
    public void Update_WhenBudgetPauseAndBudgetLimitIsRemoved_ResumesTheOrder()
    {
        var order = Order(Terms(maxPrice: 50_000, budget: 100_000));
        SetSpent(order, 100_000);
        order.Pause(LeadOrder.BudgetSpentReason, automatic: true, Now);

        order.Update(Terms(maxPrice: 50_000, budget: null), Now.AddHours(1));

        Assert.Equal(LeadOrderStatus.Active, order.Status);
        Assert.Null(order.Budget);
    }

    [Fact]
    public void Update_WhenBudgetPauseAndBudgetIsStillSpent_StaysPaused()
    {
        var order = Order(Terms(maxPrice: 50_000, budget: 100_000));
        SetSpent(order, 100_000);
        order.Pause(LeadOrder.BudgetSpentReason, automatic: true, Now);

        order.Update(Terms(name: "Renamed", maxPrice: 50_000, budget: 100_000), Now.AddHours(1));

        Assert.Equal(LeadOrderStatus.Paused, order.Status);
        Assert.Equal(LeadOrder.BudgetSpentReason, order.PausedReason);
    }

    [Theory]
    [InlineData(true, LeadOrder.BalanceRanOutReason)] // the balance, not the budget: the advertiser tops up and resumes
    [InlineData(false, "On holiday")]                 // paused by hand: only the advertiser resumes it
    public void Update_WhenPausedForAnotherReason_StaysPaused(bool automatic, string reason)
    {
        var order = Order();
        order.Pause(reason, automatic, Now);

        order.Update(Terms(budget: 5_000_000), Now.AddHours(1));

        Assert.Equal(LeadOrderStatus.Paused, order.Status);
        Assert.Equal(reason, order.PausedReason);
    }

    private static DateTime Utc(string iso) =>
        DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
}
