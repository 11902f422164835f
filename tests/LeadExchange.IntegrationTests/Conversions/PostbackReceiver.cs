using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadExchange.IntegrationTests.Conversions;

/// <summary>A webmaster's tracker on 127.0.0.1: records every postback it gets and answers with <see cref="Status"/>.</summary>
public sealed class PostbackReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>The status the next requests get (200 by default).</summary>
    public int Status { get; set; } = 200;

    public string BaseUrl { get; private set; } = "";

    public static async Task<PostbackReceiver> StartAsync()
    {
        var receiver = new PostbackReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async http =>
        {
            receiver.Received.Enqueue(http.Request.Path + http.Request.QueryString);
            http.Response.StatusCode = receiver.Status;
            await http.Response.WriteAsync("tracked");
        });
        await app.StartAsync();
        receiver._app = app;
        receiver.BaseUrl = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
