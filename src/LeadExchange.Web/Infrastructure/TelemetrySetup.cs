using LeadExchange.Application.Common;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Where traces and metrics go: an OTLP collector, or nowhere (<see cref="Endpoint"/> null).</summary>
public sealed record TelemetryExport(Uri? Endpoint, OtlpExportProtocol Protocol);

/// <summary>
/// OpenTelemetry for the app (docs/operations.md "Monitoring"). Only with <c>OpenTelemetry:OtlpEndpoint</c> set is
/// anything registered: then traces (ASP.NET Core without /health, HttpClient, the "LeadExchange" source) and metrics
/// (ASP.NET Core, HttpClient, runtime, the "LeadExchange" meter) go to that collector. Without it there is no SDK at
/// all, not just no exporter: a tracer provider without an exporter would still create and sample an activity per
/// request, and the hot paths are benchmarked. The "LeadExchange" meter stays readable by dotnet-counters either way.
/// </summary>
public static class TelemetrySetup
{
    public const string EndpointSetting = "OpenTelemetry:OtlpEndpoint";
    /// <summary>grpc (default, port 4317) or http/protobuf (port 4318).</summary>
    public const string ProtocolSetting = "OpenTelemetry:OtlpProtocol";
    public const string ServiceName = "leadexchange";

    public static TelemetryExport AddAppTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var export = ReadExport(configuration);
        if (export.Endpoint is not { } endpoint) return export;

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Configure(o, endpoint, export.Protocol, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(o => Configure(o, endpoint, export.Protocol, "v1/metrics")));
        return export;
    }

    public static TelemetryExport ReadExport(IConfiguration configuration)
    {
        var protocol = configuration[ProtocolSetting]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException($"{ProtocolSetting} '{other}' is not grpc or http/protobuf."),
        };
        var value = configuration[EndpointSetting]?.Trim();
        if (string.IsNullOrEmpty(value)) return new TelemetryExport(null, protocol);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"{EndpointSetting} must be an absolute http(s) URL such as http://otel-collector:4317, not '{value}'.");
        return new TelemetryExport(endpoint, protocol);
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        // An endpoint set in code is used as is: over HTTP each signal needs its own path, which the exporter only
        // appends when the endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT.
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
