using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// One route the app answers, as the endpoint data source lists it. <see cref="Key"/> ("GET /api/v1/offers/{id:guid}",
/// "POST /Advertiser/Purchases/Status") names it in <see cref="EndpointPolicies"/>; <see cref="SampleUrl"/> is a URL that
/// reaches it (route parameters filled with harmless values).
/// </summary>
public sealed record EndpointRoute(string Method, string Template, string SampleUrl, EndpointKind Kind, Endpoint Endpoint)
{
    public string Key => $"{Method} {Template}";

    public override string ToString() => Key;
}

public enum EndpointKind
{
    /// <summary>/api/v1: X-Api-Key, JSON, 401/403 problem details.</summary>
    Api,
    /// <summary>MVC pages: the sign-in cookie, redirects to /account/login and /account/denied.</summary>
    Mvc,
    /// <summary>Minimal API and other endpoints (tracking, health, Stripe webhooks).</summary>
    Other,
}

public static partial class EndpointInventory
{
    [GeneratedRegex(@"\{(\*{0,2})([A-Za-z0-9_]+)(:[^}=?]*)?(=[^}?]*)?(\?)?\}")]
    private static partial Regex RouteParameter();

    /// <summary>Every route endpoint of the running app, one entry per HTTP method (methodless endpoints as "*").</summary>
    public static IReadOnlyList<EndpointRoute> Enumerate(IServiceProvider services)
    {
        var routes = new List<EndpointRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // The conventional routes themselves: templates for link generation, never matched.
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true) continue;
            var action = endpoint.Metadata.GetMetadata<ControllerActionDescriptor>();
            string template;
            if (action is not null && action.AttributeRouteInfo is null)
            {
                // Conventional route: the area, controller and action are fixed for this endpoint; only {id?} varies.
                var area = action.RouteValues.TryGetValue("area", out var a) && !string.IsNullOrEmpty(a) ? $"/{a}" : "";
                var hasId = action.Parameters.Any(p => string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase));
                template = $"{area}/{action.ControllerName}/{action.ActionName}{(hasId ? "/{id?}" : "")}";
            }
            else
            {
                template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            }
            var kind = template.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) ? EndpointKind.Api
                : action is not null && !template.StartsWith("/stripe/", StringComparison.OrdinalIgnoreCase) ? EndpointKind.Mvc
                : EndpointKind.Other;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["*"];
            foreach (var method in methods)
                routes.Add(new EndpointRoute(method, template, Sample(template), kind, endpoint));
        }
        // A conventional action is listed once per conventional route that can reach it; keep one.
        return routes.GroupBy(r => r.Key).Select(g => g.First()).OrderBy(r => r.Template, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    /// <summary>A URL for a template: guids for ids, a real-looking code elsewhere, optional parameters left out.</summary>
    public static string Sample(string template) => RouteParameter().Replace(template, m =>
    {
        var constraint = m.Groups[3].Value;
        var optional = m.Groups[5].Success;
        if (optional && !string.Equals(m.Groups[2].Value, "id", StringComparison.OrdinalIgnoreCase)) return "";
        if (constraint.Contains("int", StringComparison.Ordinal)) return "404";
        if (constraint.Contains("guid", StringComparison.Ordinal) || string.Equals(m.Groups[2].Value, "id", StringComparison.OrdinalIgnoreCase))
            return "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        return "no-such-" + m.Groups[2].Value.ToLowerInvariant();
    }).Replace("//", "/");
}
