using System.Collections.Concurrent;
using LeadExchange.Domain.Buying;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadExchange.IntegrationTests.Buying;

/// <summary>One POST the buyer's server got: the raw body, every header, and whether the signature checked out.</summary>
public sealed record ReceivedWebhook(string Body, IReadOnlyDictionary<string, string> Headers, bool SignatureValid)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A buyer's CRM endpoint on 127.0.0.1, written the way API.md tells buyers to write one: it verifies
/// X-LeadExchange-Signature with the buyer's secret (401 when it does not match), records every request,
/// and otherwise answers <see cref="Status"/>, so a test can make it fail.
/// </summary>
public sealed class BuyerWebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status a correctly signed request gets (200 by default).</summary>
    public int Status { get; set; } = 200;

    /// <summary>How long each request takes to answer (a slow CRM keeps a delivery in flight).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The buyer's webhook secret; null = do not check signatures.</summary>
    public string? Secret { get; set; }

    /// <summary>The receiver's clock for the timestamp tolerance: the app's test clock, which tests move forward.</summary>
    public Func<DateTime> Now { get; set; } = () => DateTime.UtcNow;

    public string Url { get; private set; } = "";

    public static async Task<BuyerWebhookReceiver> StartAsync()
    {
        var receiver = new BuyerWebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver._app = app;
        receiver.Url = app.Urls.First().TrimEnd('/') + "/crm/leads";
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var valid = Secret is { } secret && WebhookSignature.Verify(secret, http.Request.Headers["X-LeadExchange-Signature"].ToString(), body,
            new DateTimeOffset(Now()).ToUnixTimeSeconds());
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
        Received.Enqueue(new ReceivedWebhook(body, headers, valid));
        http.Response.StatusCode = Secret is not null && !valid ? StatusCodes.Status401Unauthorized : Status;
        await http.Response.WriteAsync("ok");
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a test may stop the receiver early to make the endpoint unreachable.
        if (Interlocked.Exchange(ref _app, null) is { } app) await app.DisposeAsync();
    }
}
