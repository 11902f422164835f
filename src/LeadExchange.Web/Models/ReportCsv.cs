using LeadExchange.Application.Reports;
using LeadExchange.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Models;

/// <summary>A report as CSV: one line per row, money in major units of the report's currency, ratios as numbers (blank when undefined).</summary>
public static class ReportCsv
{
    public static FileContentResult Download(ReportDto report)
    {
        decimal Major(long minor) => Currencies.ToMajor(minor, report.Currency);
        var columns = new List<CsvColumn<ReportRowDto>>
        {
            CsvColumn<ReportRowDto>.Text(report.GroupBy, r => r.Key),
            CsvColumn<ReportRowDto>.Text("label", r => r.Label),
            CsvColumn<ReportRowDto>.Number("clicks", r => r.Figures.Clicks, "0"),
            CsvColumn<ReportRowDto>.Number("unique_clicks", r => r.Figures.UniqueClicks, "0"),
            CsvColumn<ReportRowDto>.Number("leads", r => r.Figures.Leads, "0"),
            CsvColumn<ReportRowDto>.Number("leads_rejected", r => r.Figures.LeadsRejected, "0"),
            CsvColumn<ReportRowDto>.Number("leads_sold", r => r.Figures.LeadsSold, "0"),
            CsvColumn<ReportRowDto>.Number("conversions", r => r.Figures.Conversions, "0"),
            CsvColumn<ReportRowDto>.Number("approved", r => r.Figures.ConversionsApproved, "0"),
            CsvColumn<ReportRowDto>.Number("pending", r => r.Figures.ConversionsPending, "0"),
            CsvColumn<ReportRowDto>.Number("rejected", r => r.Figures.ConversionsRejected, "0"),
            CsvColumn<ReportRowDto>.Number("returns", r => r.Figures.Returns, "0"),
            CsvColumn<ReportRowDto>.Number("spend_" + report.Currency, r => Major(r.Figures.Spend)),
            CsvColumn<ReportRowDto>.Number("earnings_" + report.Currency, r => Major(r.Figures.Earnings)),
            CsvColumn<ReportRowDto>.Number("revenue_" + report.Currency, r => Major(r.Figures.Revenue)),
            CsvColumn<ReportRowDto>.Text("cr_percent", r => Ratio(r.Figures.ConversionRate)),
            CsvColumn<ReportRowDto>.Text("epc_" + report.Currency, r => Ratio(r.Figures.Epc / Currencies.MinorUnits(report.Currency))),
            CsvColumn<ReportRowDto>.Text("cpl_" + report.Currency, r => Ratio(r.Figures.Cpl / Currencies.MinorUnits(report.Currency))),
            CsvColumn<ReportRowDto>.Text("cpa_" + report.Currency, r => Ratio(r.Figures.Cpa / Currencies.MinorUnits(report.Currency))),
            CsvColumn<ReportRowDto>.Text("return_rate_percent", r => Ratio(r.Figures.ReturnRate)),
            CsvColumn<ReportRowDto>.Text("roi_percent", r => Ratio(r.Figures.Roi)),
        };
        return CsvFile.Download($"report-{report.GroupBy}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}", report.Rows, columns);
    }

    private static string Ratio(decimal? value) => value is { } v ? v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "";
}
