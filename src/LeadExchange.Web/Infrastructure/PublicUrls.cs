using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.Web.Infrastructure;

/// <summary>App:PublicBaseUrl when set (production, behind a proxy); otherwise the current request's origin.</summary>
public sealed class PublicUrls(IConfiguration configuration, IHttpContextAccessor accessor) : IPublicUrls
{
    public string TrackingLink(string linkCode) => $"{BaseUrl}/c/{Uri.EscapeDataString(linkCode)}";

    public string BaseUrl => ResolveBaseUrl();

    private string ResolveBaseUrl()
    {
        var configured = configuration["App:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        var request = accessor.HttpContext?.Request;
        return request is null ? "http://localhost:5080" : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
