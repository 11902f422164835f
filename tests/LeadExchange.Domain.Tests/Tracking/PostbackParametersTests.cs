using LeadExchange.Domain.Tracking;

namespace LeadExchange.Domain.Tests.Tracking;

public sealed class PostbackParametersTests
{
    private static PostbackParameters Parse(params (string Key, string? Value)[] pairs) =>
        PostbackParameters.Parse(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));

    [Theory]
    [InlineData("click_id")]
    [InlineData("clickid")]
    [InlineData("transaction_id")]
    [InlineData("subid")]
    [InlineData("cid")]
    [InlineData("cnv_id")]
    [InlineData("CLICKID")]
    public void Parse_WhenClickIdUnderAnyAlias_FindsIt(string alias) => Assert.Equal("abc", Parse((alias, "abc")).ClickId);

    [Theory]
    [InlineData("goal")]
    [InlineData("event")]
    [InlineData("goal_id")]
    [InlineData("et")]
    [InlineData("type")]
    public void Parse_WhenGoalUnderAnyAlias_FindsItLowerCased(string alias) => Assert.Equal("sale", Parse((alias, "Sale")).Goal);

    [Theory]
    [InlineData("amount")]
    [InlineData("sum")]
    [InlineData("payout")]
    [InlineData("revenue")]
    public void Parse_WhenAmountUnderAnyAlias_ParsesInvariantDecimal(string alias) => Assert.Equal(1250.5m, Parse((alias, "1250.50")).Amount);

    [Theory]
    [InlineData("txid")]
    [InlineData("tid")]
    [InlineData("order_id")]
    [InlineData("adv_sub")]
    [InlineData("action_id")]
    public void Parse_WhenTxIdUnderAnyAlias_FindsIt(string alias) => Assert.Equal("T-1", Parse((alias, "T-1")).TxId);

    [Theory]
    [InlineData("token")]
    [InlineData("security_token")]
    [InlineData("verification_token")]
    [InlineData("secure")]
    public void Parse_WhenTokenUnderAnyAlias_FindsIt(string alias) => Assert.Equal("tok", Parse((alias, "tok")).Token);

    [Fact]
    public void Parse_WhenCurrencyAliasUsed_UpperCases() => Assert.Equal("USD", Parse(("cnv_currency", "usd")).Currency);

    [Theory]
    [InlineData("approved", ConversionStatus.Approved)]
    [InlineData("1", ConversionStatus.Approved)]
    [InlineData("pending", ConversionStatus.Pending)]
    [InlineData("2", ConversionStatus.Pending)]
    [InlineData("lead", ConversionStatus.Pending)]
    [InlineData("sale", ConversionStatus.Pending)]
    [InlineData("rejected", ConversionStatus.Rejected)]
    [InlineData("3", ConversionStatus.Rejected)]
    public void Parse_WhenStatusWordOrNumber_Maps(string value, ConversionStatus expected) =>
        Assert.Equal(expected, Parse(("cnv_status", value)).Status);

    [Fact]
    public void Parse_WhenCanonicalAndAliasBothSent_CanonicalWins() =>
        Assert.Equal("first", Parse(("subid", "second"), ("click_id", "first")).ClickId);

    [Theory]
    [InlineData("12,5")]
    [InlineData("-3")]
    [InlineData("ten")]
    public void Parse_WhenAmountMalformed_ReportsBadAmount(string amount) =>
        Assert.Equal("bad_amount", Assert.Single(Parse(("amount", amount)).Errors).Code);

    [Fact]
    public void Parse_WhenStatusUnknownOrTxIdTooLong_ReportsEach()
    {
        var errors = Parse(("status", "maybe"), ("txid", new string('x', 101))).Errors;
        Assert.Equal(["bad_status", "bad_txid"], errors.Select(e => e.Code).Order());
    }

    [Fact]
    public void Parse_WhenValuesBlank_TreatsThemAsMissing()
    {
        var p = Parse(("click_id", " "), ("cid", "real"), ("txid", ""));
        Assert.Equal("real", p.ClickId);
        Assert.Null(p.TxId);
    }
}
