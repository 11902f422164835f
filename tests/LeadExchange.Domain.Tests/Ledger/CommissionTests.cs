using LeadExchange.Domain.Ledger;

namespace LeadExchange.Domain.Tests.Ledger;

public sealed class CommissionTests
{
    [Theory]
    [InlineData(100_00, 2000, 80_00, 20_00)]
    [InlineData(1, 2000, 0, 1)]            // 0.8 of a kopeck: the webmaster gets 0, the platform keeps the fraction
    [InlineData(999, 1500, 849, 150)]      // 849.15 -> 849
    [InlineData(12345, 0, 12345, 0)]
    [InlineData(12345, 10000, 0, 12345)]
    public void Split_WhenFractional_RoundsWebmasterDown(long price, int bp, long webmaster, long platform) =>
        Assert.Equal((webmaster, platform), Commission.Split(price, bp));

    [Fact]
    public void Split_WhenAnyPriceAndRate_PartsSumToPrice()
    {
        var random = new Random(12345);
        for (var i = 0; i < 10_000; i++)
        {
            var price = random.NextInt64(0, 10_000_000_000);
            var bp = random.Next(0, 10_001);
            var (w, p) = Commission.Split(price, bp);
            Assert.Equal(price, w + p);
            Assert.True(w >= 0 && p >= 0);
            Assert.True((decimal)w <= price * (10_000 - bp) / 10_000m);
        }
    }

    [Fact]
    public void Split_WhenRateOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Commission.Split(100, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Commission.Split(100, 10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => Commission.Split(-1, 100));
    }
}
