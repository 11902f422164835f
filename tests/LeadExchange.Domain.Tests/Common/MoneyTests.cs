using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Tests.Common;

public sealed class MoneyTests
{
    [Fact]
    public void Add_WhenCurrenciesDiffer_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, "RUB").Add(new Money(1, "USD")));

    [Fact]
    public void Subtract_WhenSameCurrency_SubtractsMinorUnits() =>
        Assert.Equal(new Money(-50, "RUB"), new Money(100, "RUB").Subtract(new Money(150, "RUB")));

    [Theory]
    [InlineData("2500.00", true, 250000)]
    [InlineData("0.01", true, 1)]
    [InlineData("0.005", false, 0)]
    public void TryToMinor_WhenSubMinorPrecision_Refuses(string major, bool ok, long minor)
    {
        Assert.Equal(ok, Currencies.TryToMinor(decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture), "RUB", out var result));
        Assert.Equal(minor, result);
    }

    [Fact]
    public void ToString_WhenFormatted_ShowsTwoDecimalsAndCurrency() =>
        Assert.Equal("2,500.50 RUB", new Money(250050, "RUB").ToString());
}
