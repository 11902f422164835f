using LeadExchange.Application.Reports;
using LeadExchange.IntegrationTests.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Reports;

/// <summary>The rollup job's step run by a test, and history made by moving a click into the past.</summary>
public static class ReportHarness
{
    /// <summary>
    /// The rollup job's step (RefreshReportRollupsCommand), as the background job runs it. An app whose jobs are on may hold the
    /// rollup lease for a moment: the step then does nothing, and is tried again until it has run.
    /// </summary>
    public static async Task RefreshReportsAsync(this LeadExchangeFactory app)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RefreshReportRollupsCommand("integration-tests")) > 0 || attempt == 50)
                return;
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Moves a click <paramref name="by"/> into the past, as if it had happened then, and rebuilds the rollups of that time
    /// (RebuildReportRollupsCommand, the repair for back-dated raw data): the job's scan looks at new hours and at changed
    /// conversions and sales, not at a click rewritten in place.
    /// </summary>
    public static async Task MoveClickBackAsync(this LeadExchangeFactory app, string clickId, TimeSpan by)
    {
        var createdAt = await app.WithDbAsync(db => db.Clicks.Where(c => c.Id == clickId).Select(c => c.CreatedAt).SingleAsync());
        await app.WithDbAsync(db => db.Clicks.Where(c => c.Id == clickId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, createdAt - by)));
        var movedTo = DateTime.SpecifyKind(createdAt - by, DateTimeKind.Utc);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RebuildReportRollupsCommand(movedTo, movedTo.AddHours(1)));
    }
}
