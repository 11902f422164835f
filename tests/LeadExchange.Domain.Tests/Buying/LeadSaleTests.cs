using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Tests.Buying;

public sealed class LeadSaleTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static LeadSale Sale() => LeadSale.Record(Guid.NewGuid(), Guid.NewGuid(), "buyer", "seller", null, SaleChannel.Catalog, exclusive: true,
        "real-estate", "RU-MOW", Temperature.Hot, "RUB", 50_000, Guid.NewGuid(), "hash", Now, disputeWindowHours: 72);

    private static LeadSale SaleIn(SaleStatus status)
    {
        var sale = Sale();
        switch (status)
        {
            case SaleStatus.InWork: sale.Update(SaleStatus.InWork, null, null, null, null, null, Now); break;
            case SaleStatus.Converted: sale.Update(SaleStatus.Converted, 1_500_000, null, null, null, null, Now); break;
            case SaleStatus.Refused: sale.Update(SaleStatus.Refused, null, "Wrong number", null, null, null, Now); break;
            case SaleStatus.Deferred: sale.Update(SaleStatus.Deferred, null, null, Now.AddDays(3), null, null, Now); break;
        }
        Assert.Equal(status, sale.Status);
        return sale;
    }

    private static string[] ErrorFields(Action update) => Assert.Throws<SaleUpdateInvalidException>(update).Errors.Select(e => e.Field).ToArray();

    [Fact]
    public void Record_WhenSold_StartsNewWithTheDisputeWindow()
    {
        var sale = Sale();

        Assert.Equal(SaleStatus.New, sale.Status);
        Assert.Equal(Now.AddHours(72), sale.DisputeUntil);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(-100L)]
    public void Update_WhenConvertedWithoutAPositiveSaleAmount_FailsOnSaleAmount(long? amount)
    {
        var sale = SaleIn(SaleStatus.InWork);

        Assert.Equal(["saleAmount"], ErrorFields(() => sale.Update(SaleStatus.Converted, amount, null, null, null, null, Now)));
        Assert.Equal(SaleStatus.InWork, sale.Status);
        Assert.Null(sale.SaleAmount);
    }

    [Fact]
    public void Update_WhenConvertedWithSaleAmount_RecordsItAndReportsTheConversion()
    {
        var sale = Sale();

        var became = sale.Update(SaleStatus.Converted, 1_500_000, null, null, null, null, Now.AddHours(2));

        Assert.True(became);
        Assert.Equal(SaleStatus.Converted, sale.Status);
        Assert.Equal(1_500_000, sale.SaleAmount);
        Assert.Equal(Now.AddHours(2), sale.ConvertedAt);
    }

    [Theory]
    [InlineData(SaleStatus.InWork)]
    [InlineData(SaleStatus.Refused)]
    [InlineData(SaleStatus.Deferred)]
    [InlineData(SaleStatus.New)]
    public void Update_WhenConvertedLeadChangesStatus_FailsAndStaysConverted(SaleStatus next)
    {
        var sale = SaleIn(SaleStatus.Converted);

        var fields = ErrorFields(() => sale.Update(next, null, "Changed my mind", Now.AddDays(5), null, null, Now.AddHours(1)));

        Assert.Contains("status", fields);
        Assert.Equal(SaleStatus.Converted, sale.Status);
        Assert.Equal(1_500_000, sale.SaleAmount);
    }

    [Fact]
    public void Update_WhenConvertedAgain_ChangesNothingAndReportsNoNewConversion()
    {
        var sale = SaleIn(SaleStatus.Converted);
        var convertedAt = sale.ConvertedAt;

        var became = sale.Update(SaleStatus.Converted, 9_999_999, null, null, "Paid in full", null, Now.AddHours(1));

        Assert.False(became);
        Assert.Equal(1_500_000, sale.SaleAmount);
        Assert.Equal(convertedAt, sale.ConvertedAt);
        Assert.Equal("Paid in full", sale.Note);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Update_WhenRefusedWithoutReason_FailsOnReason(string? reason)
    {
        var sale = Sale();

        Assert.Equal(["reason"], ErrorFields(() => sale.Update(SaleStatus.Refused, null, reason, null, null, null, Now)));
        Assert.Equal(SaleStatus.New, sale.Status);
    }

    [Fact]
    public void Update_WhenRefusedWithTooLongReason_FailsOnReason()
    {
        var sale = Sale();

        Assert.Equal(["reason"], ErrorFields(() => sale.Update(SaleStatus.Refused, null, new string('x', LeadSale.ReasonMaxLength + 1), null, null, null, Now)));
    }

    [Fact]
    public void Update_WhenRefusedWithReason_KeepsTheTrimmedReason()
    {
        var sale = Sale();

        Assert.False(sale.Update(SaleStatus.Refused, null, "  Wrong number ", null, null, null, Now));

        Assert.Equal(SaleStatus.Refused, sale.Status);
        Assert.Equal("Wrong number", sale.RefuseReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]     // now is not the future
    [InlineData(-60)]
    public void Update_WhenDeferredWithoutAFutureDate_FailsOnDeferredUntil(int? minutesFromNow)
    {
        var sale = Sale();
        DateTime? until = minutesFromNow is { } m ? Now.AddMinutes(m) : null;

        Assert.Equal(["deferredUntil"], ErrorFields(() => sale.Update(SaleStatus.Deferred, null, null, until, null, null, Now)));
    }

    [Fact]
    public void Update_WhenDeferredToTheFuture_StoresTheDateInUtc()
    {
        var sale = Sale();
        var until = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(3)).UtcDateTime;

        sale.Update(SaleStatus.Deferred, null, null, until, null, null, Now);

        Assert.Equal(SaleStatus.Deferred, sale.Status);
        Assert.Equal(new DateTime(2026, 11, 25, 7, 0, 0, DateTimeKind.Utc), sale.DeferredUntil);
    }

    [Fact]
    public void Update_WhenLeavingRefusedOrDeferred_ClearsReasonAndDate()
    {
        var refused = SaleIn(SaleStatus.Refused);
        var deferred = SaleIn(SaleStatus.Deferred);

        refused.Update(SaleStatus.InWork, null, null, null, null, null, Now);
        deferred.Update(SaleStatus.InWork, null, null, null, null, null, Now);

        Assert.Null(refused.RefuseReason);
        Assert.Null(deferred.DeferredUntil);
    }

    [Theory]
    [InlineData(SaleStatus.InWork)]
    [InlineData(SaleStatus.Refused)]
    [InlineData(SaleStatus.Deferred)]
    public void Update_WhenGoingBackToNew_Fails(SaleStatus from)
    {
        var sale = SaleIn(from);

        Assert.Equal(["status"], ErrorFields(() => sale.Update(SaleStatus.New, null, null, null, null, null, Now)));
        Assert.Equal(from, sale.Status);
    }

    [Fact]
    public void Update_WhenSaleAmountComesWithoutConversion_FailsOnSaleAmount()
    {
        var sale = SaleIn(SaleStatus.InWork);

        Assert.Equal(["saleAmount"], ErrorFields(() => sale.Update(null, 100, null, null, null, null, Now)));
    }

    [Fact]
    public void Update_WhenSeveralThingsAreWrong_ReportsEveryFieldAndChangesNothing()
    {
        var sale = Sale();

        var fields = ErrorFields(() => sale.Update(SaleStatus.Refused, null, null, null, new string('n', LeadSale.NoteMaxLength + 1),
            new string('a', LeadSale.AssigneeMaxLength + 1), Now));

        Assert.Equal(["note", "assignee", "reason"], fields);
        Assert.Null(sale.Note);
        Assert.Null(sale.Assignee);
    }

    [Fact]
    public void Update_WhenNoteAndAssigneeOnly_KeepsStatusAndBlankClearsThem()
    {
        var sale = SaleIn(SaleStatus.InWork);

        sale.Update(null, null, null, null, "  Call after 6 pm ", " Olga ", Now);
        Assert.Equal(("Call after 6 pm", "Olga"), (sale.Note, sale.Assignee));
        Assert.Equal(SaleStatus.InWork, sale.Status);

        sale.Update(null, null, null, null, " ", "", Now);
        Assert.Null(sale.Note);
        Assert.Null(sale.Assignee);
    }
}
