using LeadExchange.Domain.Reports;

namespace LeadExchange.Domain.Tests.Reports;

/// <summary>Security review "Trust": a report total past the Int64 range fails loudly instead of wrapping to a negative figure.</summary>
public sealed class ReportCountersTests
{
    [Fact]
    public void Add_WhenAMoneyTotalPassesTheInt64Range_ThrowsInsteadOfWrapping()
    {
        var total = new ReportCounters { SalesRevenue = long.MaxValue };

        Assert.Throws<OverflowException>(() => total.Add(new ReportCounters { SalesRevenue = 1 }));
        Assert.Throws<OverflowException>(() => total.Add(new ReportCounters { ConversionRevenue = -1, SalesRevenue = long.MaxValue }));
    }

    [Fact]
    public void Figures_WhenRevenuePlusConversionRevenuePassesTheInt64Range_ThrowInsteadOfGoingNegative()
    {
        var counters = new ReportCounters { SalesRevenue = long.MaxValue, ConversionRevenue = 1_000, Clicks = 1 };

        Assert.Throws<OverflowException>(() => ReportFigures.From(counters, ReportPerspective.Platform));
    }

    [Fact]
    public void Add_WithinTheRange_SumsExactly()
    {
        var total = new ReportCounters { SalesRevenue = long.MaxValue - 10, ConversionCost = 5 };
        total.Add(new ReportCounters { SalesRevenue = 10, ConversionCost = 7 });

        Assert.Equal((long.MaxValue, 12L), (total.SalesRevenue, total.ConversionCost));
    }
}
