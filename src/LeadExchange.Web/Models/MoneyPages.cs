using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Ledger;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Models;

/// <summary>
/// Statement filters from the query string. Dates are calendar days in UTC and both ends are included
/// (To is sent to the application as the next midnight, exclusive). Account, Owner and Currency are
/// the admin's extra filters; Owner is a user id, an email, or "platform".
/// </summary>
public sealed class StatementFilter
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public JournalEntryType? Type { get; set; }
    public AccountType? Account { get; set; }
    public string? Owner { get; set; }
    public string? Currency { get; set; }
    public int? Page { get; set; }

    public bool IsFiltered =>
        From is not null || To is not null || Type is not null || Account is not null || !string.IsNullOrWhiteSpace(Owner) || !string.IsNullOrWhiteSpace(Currency);

    /// <summary>The query for one page, or for every row (<paramref name="all"/>, CSV). <paramref name="ownerId"/> is the resolved owner (admin only).</summary>
    public GetStatementQuery ToQuery(bool all, string? ownerId = null) => new(
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        Type, Account, string.IsNullOrWhiteSpace(Currency) ? null : Currency.Trim(), ownerId,
        all ? null : Page, null, all);

    /// <summary>The filters as route values (no page): the CSV link exports exactly what is shown.</summary>
    public Dictionary<string, string> RouteValues()
    {
        var values = new Dictionary<string, string>();
        if (From is { } from) values["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (To is { } to) values["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (Type is { } type) values["type"] = type.ToString();
        if (Account is { } account) values["account"] = account.ToString();
        if (!string.IsNullOrWhiteSpace(Owner)) values["owner"] = Owner.Trim();
        if (!string.IsNullOrWhiteSpace(Currency)) values["currency"] = Currency.Trim();
        return values;
    }
}

/// <summary>
/// What Views/Shared/_Statement.cshtml shows: filters, the lines, pager and CSV link, for any role.
/// Area/Controller/Action name the page the filter form and links go to; its CSV action is "Csv".
/// </summary>
public sealed record StatementView(
    StatementFilter Filter, PagedResult<StatementLineDto> Lines, string Area, string Controller, string Action = "Index",
    bool ForAdmin = false, IReadOnlyDictionary<string, string>? OwnerLabels = null, string? EmptyHint = null, string? OwnerError = null);

/// <summary>The statement's CSV columns, shared by every role's export.</summary>
public static class StatementCsv
{
    public static IReadOnlyList<CsvColumn<StatementLineDto>> Columns(bool forAdmin, IReadOnlyDictionary<string, string>? ownerLabels = null)
    {
        var columns = new List<CsvColumn<StatementLineDto>>
        {
            CsvColumn<StatementLineDto>.Text("Date (UTC)", l => MoneyDisplay.CsvDate(l.CreatedAt)),
            CsvColumn<StatementLineDto>.Text("Type", l => MoneyDisplay.EntryType(l.Type)),
            CsvColumn<StatementLineDto>.Text("Account", l => MoneyDisplay.Account(l.Account)),
        };
        if (forAdmin)
        {
            columns.Add(CsvColumn<StatementLineDto>.Text("Owner", l => MoneyDisplay.Owner(l.OwnerId, ownerLabels)));
            columns.Add(CsvColumn<StatementLineDto>.Text("Owner id", l => l.OwnerId));
        }
        columns.AddRange(
        [
            CsvColumn<StatementLineDto>.Text("Description", l => l.Description),
            CsvColumn<StatementLineDto>.Text("Reference", l => l.Reference),
            CsvColumn<StatementLineDto>.Number("Amount", l => Currencies.ToMajor(l.Amount, l.Currency)),
            CsvColumn<StatementLineDto>.Text("Currency", l => l.Currency),
            CsvColumn<StatementLineDto>.Text("Entry id", l => l.EntryId.ToString()),
        ]);
        return columns;
    }
}

/// <summary>An amount typed in major units with its currency (top-up, payout request).</summary>
public class AmountFormModel
{
    [Display(Name = "Amount")]
    public string? Amount { get; set; }

    [Display(Name = "Currency")]
    public string? Currency { get; set; } = "RUB";

    /// <summary>Minor units, or null with the reason in <paramref name="modelState"/> under prefix.Amount.</summary>
    public long? ToMinor(ModelStateDictionary modelState, string prefix)
    {
        if (!MajorUnits.TryParseMoney(Amount, Currency ?? "", out var minor, out var error))
        {
            modelState.AddModelError($"{prefix}.{nameof(Amount)}", error!);
            return null;
        }
        if (minor is null or <= 0)
        {
            modelState.AddModelError($"{prefix}.{nameof(Amount)}", "Enter an amount above zero.");
            return null;
        }
        return minor;
    }
}

public sealed class TopUpFormModel : AmountFormModel;

public sealed class PayoutFormModel : AmountFormModel;

/// <summary>What Views/Shared/_MoneyTile.cshtml shows: one balance with its label and meaning.</summary>
public sealed record MoneyTileView(string Label, long Minor, string Currency, string Hint, string TestId, string BorderClass = "");

/// <summary>Advertiser: balance tiles, the card top-up (or why there is none) and the statement.</summary>
public sealed record BalancePage(
    BalanceSummaryDto Balance, PlatformSettingsDto Settings, TopUpFormModel TopUp, IReadOnlyList<TopUpDto> RecentTopUps, StatementView Statement);

/// <summary>Webmaster "Earnings &amp; payouts": tiles on both tabs; the payouts tab and the statement tab.</summary>
public sealed record EarningsPage(
    BalanceSummaryDto Balance, PayoutSetupDto Setup, PayoutFormModel Form, PagedResult<PayoutDto> Payouts);

public sealed record EarningsStatementPage(BalanceSummaryDto Balance, StatementView Statement);

/// <summary>Admin ledger: reconciliation card (after "Run check") and the platform-wide statement.</summary>
public sealed record LedgerPage(StatementView Statement, ReconciliationDto? Reconciliation);

/// <summary>An admin's manual money form: which advertiser (by email), the amount and currency, a key fixed when the form is shown.</summary>
public abstract class ManualMoneyFormModel : AmountFormModel
{
    [Display(Name = "Advertiser email")]
    public string? Email { get; set; }

    /// <summary>Fixed when the form is shown: a double-clicked or re-sent form posts once.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The form field an application error belongs to (the form names the advertiser by email only).</summary>
    public static string FieldName(string applicationField) => applicationField == "UserId" ? nameof(Email) : applicationField;
}

public sealed class ManualTopUpFormModel : ManualMoneyFormModel
{
    [Display(Name = "Note")]
    public string? Note { get; set; }

    public static ManualTopUpFormModel New() => new() { IdempotencyKey = Guid.NewGuid().ToString("N") };
}

/// <summary>A debit of an advertiser's available balance, with the reason the ledger keeps.</summary>
public sealed class ManualAdjustmentFormModel : ManualMoneyFormModel
{
    [Display(Name = "Reason")]
    public string? Reason { get; set; }

    public static ManualAdjustmentFormModel New() => new() { IdempotencyKey = Guid.NewGuid().ToString("N") };
}

public sealed record ManualTopUpPage(ManualTopUpFormModel Form, PagedResult<TopUpDto> Recent, IReadOnlyDictionary<string, string> UserLabels, long TopUpMax);

public sealed record ManualAdjustmentPage(ManualAdjustmentFormModel Form);

/// <summary>Admin payouts; Status is the filter as typed: a PayoutStatus name, or "all".</summary>
public sealed record AdminPayoutsPage(string Status, PagedResult<PayoutDto> Payouts, IReadOnlyDictionary<string, string> UserLabels);

/// <summary>Platform money settings as people type them: percent and major units; stored as basis points and minor units.</summary>
public sealed class SettingsFormModel
{
    /// <summary>Settings amounts are minor units valid in every currency; all supported currencies have 2 decimals.</summary>
    private const string AnyCurrency = "RUB";

    [Display(Name = "Platform commission, %")]
    public string? CommissionPercent { get; set; }

    [Display(Name = "Minimum top-up")]
    public string? TopUpMin { get; set; }

    [Display(Name = "Maximum top-up")]
    public string? TopUpMax { get; set; }

    [Display(Name = "Minimum payout")]
    public string? PayoutMin { get; set; }

    [Display(Name = "Payout schedule, days")]
    public int? PayoutScheduleDays { get; set; }

    [Display(Name = "Dispute deadline for moderators, hours")]
    public int? DisputeSlaHours { get; set; }

    [Display(Name = "Buyer dispute limit, % of purchases")]
    public string? BuyerDisputeRatePercent { get; set; }

    [Display(Name = "Buyer limit applies from, purchases in 30 days")]
    public int? BuyerDisputeRateMinPurchases { get; set; }

    [Display(Name = "Seller suspension above return rate, %")]
    public string? SellerSuspendReturnRatePercent { get; set; }

    [Display(Name = "Seller suspension applies from, sales in 90 days")]
    public int? SellerSuspendMinSales { get; set; }

    public static SettingsFormModel From(PlatformSettingsDto s) => new()
    {
        CommissionPercent = MoneyDisplay.Percent(s.CommissionBp),
        TopUpMin = Display.Major(s.TopUpMin, AnyCurrency),
        TopUpMax = Display.Major(s.TopUpMax, AnyCurrency),
        PayoutMin = Display.Major(s.PayoutMin, AnyCurrency),
        PayoutScheduleDays = s.PayoutScheduleDays,
        DisputeSlaHours = s.DisputeSlaHours,
        BuyerDisputeRatePercent = MoneyDisplay.Percent(s.BuyerDisputeRateLimitBp),
        BuyerDisputeRateMinPurchases = s.BuyerDisputeRateMinPurchases,
        SellerSuspendReturnRatePercent = MoneyDisplay.Percent(s.SellerSuspendReturnRateBp),
        SellerSuspendMinSales = s.SellerSuspendMinSales,
    };

    /// <summary>The command, or null with field errors in <paramref name="modelState"/>. Range rules stay in the domain.</summary>
    public UpdatePlatformSettingsCommand? ToCommand(ModelStateDictionary modelState, string prefix)
    {
        var ok = true;
        var commission = Percent(CommissionPercent, nameof(CommissionPercent), "Enter the commission, e.g. 20 or 12.5.", "Commission is 0% to 100%.");
        var topUpMin = Amount(TopUpMin, nameof(TopUpMin));
        var topUpMax = Amount(TopUpMax, nameof(TopUpMax));
        var payoutMin = Amount(PayoutMin, nameof(PayoutMin));
        if (PayoutScheduleDays is null) Fail(nameof(PayoutScheduleDays), "Enter the number of days (0 = only on request).");
        if (DisputeSlaHours is null) Fail(nameof(DisputeSlaHours), "Enter the number of hours moderators have to decide.");
        var buyerLimit = Percent(BuyerDisputeRatePercent, nameof(BuyerDisputeRatePercent), "Enter the buyer dispute limit, e.g. 20.", "The limit is 0% to 100%.");
        if (BuyerDisputeRateMinPurchases is null) Fail(nameof(BuyerDisputeRateMinPurchases), "Enter the number of purchases.");
        var sellerLimit = Percent(SellerSuspendReturnRatePercent, nameof(SellerSuspendReturnRatePercent), "Enter the return rate, e.g. 30.", "The rate is 0% to 100%.");
        if (SellerSuspendMinSales is null) Fail(nameof(SellerSuspendMinSales), "Enter the number of sales.");
        return ok
            ? new UpdatePlatformSettingsCommand(commission!.Value, topUpMin!.Value, topUpMax!.Value, payoutMin!.Value, PayoutScheduleDays!.Value,
                DisputeSlaHours, buyerLimit, BuyerDisputeRateMinPurchases, sellerLimit, SellerSuspendMinSales)
            : null;

        int? Percent(string? text, string field, string missing, string range)
        {
            if (!MajorUnits.TryParse(text, out var percent, out var error)) Fail(field, error!);
            else if (percent is null) Fail(field, missing);
            else if (percent is < 0 or > 100) Fail(field, range);
            else return (int)(percent.Value * 100);
            return null;
        }

        long? Amount(string? text, string field)
        {
            if (!MajorUnits.TryParseMoney(text, AnyCurrency, out var minor, out var amountError)) Fail(field, amountError!);
            else if (minor is null) Fail(field, "Enter an amount.");
            return minor;
        }

        void Fail(string field, string message)
        {
            modelState.AddModelError($"{prefix}.{field}", message);
            ok = false;
        }
    }

    /// <summary>The form field of an application error (the application speaks basis points).</summary>
    public static string FieldName(string applicationField) => applicationField switch
    {
        "CommissionBp" => nameof(CommissionPercent),
        "BuyerDisputeRateLimitBp" => nameof(BuyerDisputeRatePercent),
        "SellerSuspendReturnRateBp" => nameof(SellerSuspendReturnRatePercent),
        _ => applicationField,
    };
}

public sealed record SettingsPage(SettingsFormModel Form, bool StripeConfigured);
