using System.Threading.Channels;
using LeadExchange.Application.Conversions;
using LeadExchange.Domain.Conversions;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Conversions;

/// <summary>
/// The postback log, written in batches off the request path. Bounded: when the database falls behind,
/// the oldest unwritten entries are dropped (and counted) rather than slowing postbacks down; stopping the
/// host writes what is queued. The log is for people reading it; conversions never depend on it.
/// </summary>
public sealed class PostbackLogWriter(IServiceScopeFactory scopes, ILogger<PostbackLogWriter> logger) : BackgroundService, IPostbackLogSink
{
    private const int Capacity = 50_000;
    private const int BatchSize = 500;
    private readonly Channel<PostbackLogEntry> _queue = Channel.CreateBounded<PostbackLogEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Write(PostbackLogEntry entry) => _queue.Writer.TryWrite(entry);

    /// <summary>Writes everything queued so far (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var batch = new List<PostbackLogEntry>(BatchSize);
        while (_queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
            if (batch.Count == BatchSize) await WriteAsync(batch, ct);
        }
        if (batch.Count > 0) await WriteAsync(batch, ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(200, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<PostbackLogEntry> batch, CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.PostbackLog.AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Count} postback log entries could not be written and are dropped", batch.Count);
        }
        finally
        {
            batch.Clear();
        }
    }
}
