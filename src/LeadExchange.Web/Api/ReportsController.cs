using LeadExchange.Application.Reports;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

/// <summary>API.md: GET /api/v1/reports?groupBy=&amp;from=&amp;to= — every role, own data only.</summary>
[Route("api/v1/reports")]
public sealed class ReportsController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>
    /// Report rows from the hourly rollups. groupBy: day, offer, niche, region, goal, order (advertisers), sub1..sub5 (webmasters,
    /// platform). from/to: yyyy-MM-dd in your profile's time zone, inclusive (default the last 7 days, at most 732), or preset: today, yesterday,
    /// last7, last30, thisMonth, lastMonth, thisYear, last365. perspective:
    /// advertiser, webmaster or platform (moderators, admins); default by role. Filters offerId, niche, region; currency (default the
    /// busiest); sort (key, clicks, conversions, spend, earnings, …) with desc; page, pageSize (≤ 5000). format=csv downloads the rows.
    /// Money in minor units of <c>currency</c>; ratios are null when undefined.
    /// </summary>
    [HttpGet]
    public async Task<IActionResult> Get([FromQuery] string? groupBy, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? perspective,
        [FromQuery] Guid? offerId, [FromQuery] string? niche, [FromQuery] string? region, [FromQuery] string? currency, [FromQuery] string? sort,
        [FromQuery] bool? desc, [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] string? format, [FromQuery] string? preset, CancellationToken ct)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        var report = await Mediator.Send(new GetReportQuery(groupBy, from, to, perspective, offerId, niche, region, currency, sort, desc ?? true,
            csv ? 1 : page ?? 1, csv ? 5000 : pageSize ?? 100, Preset: preset), ct);
        return csv ? ReportCsv.Download(report) : Ok(report);
    }

    /// <summary>The caller's dashboard: today and yesterday, 30 days by day, top offers/niches/regions, what needs attention.</summary>
    [HttpGet("dashboard")]
    public Task<DashboardDto> Dashboard([FromQuery] string? perspective, CancellationToken ct) => Mediator.Send(new GetDashboardQuery(perspective), ct);
}
