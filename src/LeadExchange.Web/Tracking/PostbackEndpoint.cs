using System.Text;
using System.Text.Json;
using LeadExchange.Application.Conversions;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;
using LeadExchange.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.WebUtilities;

namespace LeadExchange.Web.Tracking;

/// <summary>
/// API.md "Postback": GET or POST (form or JSON) /postback and GET /pixel.gif. A minimal API: no MVC, no
/// antiforgery (server-to-server, authenticated by the advertiser's token), rate-limited per address.
/// The signed bytes for X-Signature are the raw query string (GET) or the raw body (POST).
/// </summary>
public static class PostbackEndpoint
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static readonly string[] SecretNames = PostbackParameters.Aliases["token"];

    public static IEndpointRouteBuilder MapPostbackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/postback", ["GET", "POST"], (HttpContext http, IMediator mediator, CancellationToken ct) => HandleAsync(http, mediator, pixel: false, ct))
            .ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.Postback)
            .WithMetadata(new AdmissionLaneAttribute(AdmissionLanes.Postback));
        app.MapGet("/pixel.gif", (HttpContext http, IMediator mediator, CancellationToken ct) => HandleAsync(http, mediator, pixel: true, ct))
            .ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.Postback)
            .WithMetadata(new AdmissionLaneAttribute(AdmissionLanes.Postback));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, bool pixel, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var request = http.Request;
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query) parameters.Add(new(key, values.ToString()));
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        byte[] signed;

        if (HttpMethods.IsPost(request.Method))
        {
            if (request.ContentLength > MaxBodyBytes)
                return Answer(http, pixel, PostbackAnswer.Error(413, "bad_request", $"The body is larger than {MaxBodyBytes} bytes."));
            signed = await ReadBodyAsync(request, ct);
            if (signed.Length > MaxBodyBytes)
                return Answer(http, pixel, PostbackAnswer.Error(413, "bad_request", $"The body is larger than {MaxBodyBytes} bytes."));
            var body = Encoding.UTF8.GetString(signed);
            var contentType = request.ContentType ?? "";
            if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryReadJson(body, parameters))
                    return Answer(http, pixel, PostbackAnswer.Error(400, "bad_request", "The body is not a JSON object of parameters."));
            }
            else
            {
                // Form (or a bare query string in the body): body values come before the URL's.
                var form = QueryHelpers.ParseQuery(body);
                parameters.InsertRange(0, form.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value.ToString())));
            }
        }
        else
        {
            signed = Encoding.UTF8.GetBytes(rawQuery);
        }

        var received = new PostbackRequest(pixel ? "pixel" : "postback", request.Method, parameters, signed,
            request.Headers["X-Signature"].ToString() is { Length: > 0 } sig ? sig : null, http.Connection.RemoteIpAddress,
            PostbackLogEntry.Redact(HttpMethods.IsPost(request.Method) ? Combine(rawQuery, parameters) : rawQuery, SecretNames));
        var answer = await mediator.Send(new RecordPostbackCommand(received), ct);
        return Answer(http, pixel, answer);
    }

    private static string Combine(string rawQuery, List<KeyValuePair<string, string?>> parameters) =>
        string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value ?? "")));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes) break;
        }
        return buffer.ToArray();
    }

    private static bool TryReadJson(string body, List<KeyValuePair<string, string?>> parameters)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            var index = 0;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                string? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                parameters.Insert(index++, new(property.Name, value));
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IResult Answer(HttpContext http, bool pixel, PostbackAnswer answer) =>
        pixel ? new PixelResult(answer.HttpStatus) : Results.Json(Body(answer), statusCode: answer.HttpStatus);

    /// <summary>The JSON body API.md documents for an answer (the endpoint's, and the test postback's on the integration page).</summary>
    public static object Body(PostbackAnswer answer) => answer.Result == "ok"
        ? answer.Test
            ? new { result = "ok", test = true, message = answer.Message }
            : new { result = "ok", conversionId = answer.ConversionId, status = answer.Status, duplicate = answer.Duplicate }
        : ErrorBody(answer.Code, answer.Message);

    /// <summary>
    /// The failure body of API.md, also for answers given before the handler runs (rate limit, admission control, database
    /// unavailable), so the advertiser's server always gets the same shape.
    /// </summary>
    public static object ErrorBody(string? code, string? message) => new { result = "error", code, message };

    /// <summary>The 1x1 GIF with the answer's status code (a failure is never a 200, even for a pixel).</summary>
    private sealed class PixelResult(int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "image/gif";
            httpContext.Response.ContentLength = Gif.Length;
            return httpContext.Response.Body.WriteAsync(Gif).AsTask();
        }
    }
}
