using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payouts;
using LeadExchange.Infrastructure.Outbox;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Jobs;

/// <summary>Section "Jobs".</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";
    public bool Enabled { get; set; } = true;
    public int IntervalSeconds { get; set; } = 5;
    /// <summary>How often the scheduled payout run looks for webmasters to pay; fractions allowed (the multi-node tests use 0.02 = 1.2 s).</summary>
    public double ScheduledPayoutsEveryMinutes { get; set; } = 60;
    /// <summary>How often the pricing demand factors are recomputed from the order book and recent supply.</summary>
    public int DemandRecomputeEveryMinutes { get; set; } = 15;
    /// <summary>How often report rollups pick up new and changed facts (how fresh reports and dashboards are).</summary>
    public int ReportRollupEverySeconds { get; set; } = 30;
}

/// <summary>
/// The periodic work of a node: outbox dispatch, escrow release, scheduled payouts, pricing demand, report rollups. Every step is safe to
/// run on several nodes at once (conditional updates and unique references), so no leader is needed.
/// </summary>
public sealed class BackgroundJobs(IServiceScopeFactory scopes, OutboxDispatcher outbox, IOptions<JobOptions> options, IOptions<OutboxOptions> outboxOptions,
    ILogger<BackgroundJobs> logger)
    : BackgroundService
{
    private DateTime _nextScheduledPayouts = DateTime.MinValue;
    private DateTime _nextDemandRecompute = DateTime.MinValue;
    private DateTime _nextReportRollup = DateTime.MinValue;
    /// <summary>This process, as the holder of the report rollup lease.</summary>
    private readonly string _nodeId = $"{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Background jobs are disabled (Jobs:Enabled=false)");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.IntervalSeconds)));
        do
        {
            await RunOnceAsync(stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await Step("outbox", () => outbox.DispatchDueAsync(Math.Max(1, outboxOptions.Value.BatchSize), ct));
        await Step("escrow release", () => Send(new ReleaseDueHoldsCommand(), ct));
        await Step("lead expiry", () => Send(new LeadExchange.Application.Buying.ExpireLeadsCommand(), ct));
        if (DateTime.UtcNow >= _nextScheduledPayouts)
        {
            _nextScheduledPayouts = DateTime.UtcNow.AddMinutes(Math.Max(0.01, options.Value.ScheduledPayoutsEveryMinutes));
            await Step("scheduled payouts", () => Send(new RunScheduledPayoutsCommand(), ct));
            await Step("abandoned top-ups", () => Send(new LeadExchange.Application.Payments.ExpireAbandonedTopUpsCommand(), ct));
        }
        if (DateTime.UtcNow >= _nextDemandRecompute)
        {
            _nextDemandRecompute = DateTime.UtcNow.AddMinutes(Math.Max(1, options.Value.DemandRecomputeEveryMinutes));
            await Step("pricing demand", () => Send(new LeadExchange.Application.Pricing.Commands.RecomputeDemandCommand(), ct));
        }
        if (DateTime.UtcNow >= _nextReportRollup)
        {
            _nextReportRollup = DateTime.UtcNow.AddSeconds(Math.Max(1, options.Value.ReportRollupEverySeconds));
            await Step("report rollups", () => Send(new LeadExchange.Application.Reports.RefreshReportRollupsCommand(_nodeId), ct));
        }
    }

    private async Task<int> Send(IRequest<int> request, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
    }

    private async Task Step(string name, Func<Task<int>> step)
    {
        try
        {
            var count = await step();
            if (count > 0) logger.LogInformation("Job {Job}: {Count} done", name, count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing step (database briefly down) must not stop the loop; it runs again next tick.
            logger.LogError(ex, "Job {Job} failed", name);
        }
    }
}
