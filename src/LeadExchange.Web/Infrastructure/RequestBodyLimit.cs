using Microsoft.AspNetCore.Http.Metadata;

namespace LeadExchange.Web.Infrastructure;

/// <summary>
/// The largest request body the app reads (<c>Limits:MaxRequestBodyBytes</c>, 1 MiB by default; an action may allow more
/// with [RequestSizeLimit], as the dispute evidence uploads do). Kestrel stops reading there; before that, a request whose
/// Content-Length is already too big is answered 413 at once, unread, with problem details (the postback shape on
/// /postback and /pixel.gif). A body without a length that grows past the limit ends in Kestrel's 413 error, answered the
/// same way instead of as a 500.
/// </summary>
public static class RequestBodyLimit
{
    public const string Setting = "Limits:MaxRequestBodyBytes";
    public const long DefaultBytes = 1024 * 1024;

    public static long Configured(IConfiguration configuration) => configuration.GetValue(Setting, DefaultBytes);

    public static WebApplicationBuilder AddRequestBodyLimit(this WebApplicationBuilder builder)
    {
        var limit = Configured(builder.Configuration);
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = limit);
        return builder;
    }

    /// <summary>After routing, so an endpoint's own [RequestSizeLimit] is known.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long limit) => app.Use(async (context, next) =>
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var max = metadata is null ? limit : metadata.MaxRequestBodySize;
        if (max is { } bytes && context.Request.ContentLength > bytes)
        {
            await TooLargeAsync(context, bytes);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, max ?? limit);
        }
    });

    private static Task TooLargeAsync(HttpContext context, long bytes)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var message = $"The request body is larger than {bytes} bytes; nothing was read or stored.";
        var path = context.Request.Path;
        if (path.StartsWithSegments("/postback") || path.StartsWithSegments("/pixel.gif"))
            return response.WriteAsJsonAsync(Tracking.PostbackEndpoint.ErrorBody("too_large", message), context.RequestAborted);
        return response.WriteAsJsonAsync(Api.ApiProblems.Details(413, "Request body too large", message, "too_large"),
            options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
    }
}
