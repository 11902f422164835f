using System.Net;
using System.Text;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.LeadForms;
using Microsoft.AspNetCore.Routing;
using static LeadExchange.Domain.Identity.Roles;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Every route of the app, taken from its endpoint data source, against the reviewed table in <see cref="EndpointPolicies"/>:
/// anonymous callers are refused (401 on /api/v1, the sign-in redirect on pages) except on the allow-list, each wrong role
/// is refused (403 / the access-denied redirect), and a right role gets past authorization. Requests carry harmless
/// values (unknown ids, empty bodies, no antiforgery token), so no check depends on data and nothing is changed.
/// SQLite only: authorization happens before any database work that differs between providers.
/// </summary>
public sealed class EndpointAuthorizationTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private static readonly string[] Everyone = [Advertiser, Webmaster, Moderator, Admin];

    [Fact]
    public void Endpoints_WhenEnumerated_EachHasAReviewedPolicyAndEachPolicyAnEndpoint()
    {
        var routes = Routes();
        var unknown = routes.Where(r => !EndpointPolicies.All.ContainsKey(r.Key)).Select(r => r.Key).ToList();
        var stale = EndpointPolicies.All.Keys.Except(routes.Select(r => r.Key)).ToList();

        Assert.True(unknown.Count == 0,
            "Endpoints without a reviewed access policy. Decide who may call each one and add it to Security/EndpointPolicies.cs:\n  "
            + string.Join("\n  ", unknown));
        Assert.True(stale.Count == 0, "EndpointPolicies lists routes the app no longer has:\n  " + string.Join("\n  ", stale));
        Assert.True(routes.Count > 200, $"Only {routes.Count} endpoints found: is the endpoint data source the app's?");
    }

    [Fact]
    public async Task EveryEndpoint_WhenAnonymous_IsRefusedUnlessOnTheAllowList()
    {
        using var anonymous = app.CreateAnonymousClient();
        var failures = new List<string>();

        foreach (var route in Routes())
        {
            var policy = Policy(route);
            using var response = await anonymous.SendAsync(Request(route));
            var outcome = Outcome(route, response);
            if (policy.Access == Access.Public)
            {
                // A 403 of its own is fine here (a postback with a bad token, the access-denied page); a sign-in demand is not.
                if (outcome == Refusal.SignInRequired || (outcome == Refusal.Forbidden && response.StatusCode == HttpStatusCode.Redirect))
                    failures.Add($"{route.Key}: on the public allow-list but answered {Describe(response)}");
            }
            else if (outcome != Refusal.SignInRequired)
            {
                failures.Add($"{route.Key}: anonymous got {Describe(response)}, expected " +
                             (route.Kind == EndpointKind.Api ? "401" : "a redirect to /account/login"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task RoleRestrictedEndpoints_WhenCalledByAWrongRole_AreRefused()
    {
        var clients = await ClientsAsync();
        var failures = new List<string>();
        var checkedCalls = 0;

        foreach (var route in Routes())
        {
            var policy = Policy(route);
            if (policy.Access != Access.Roles) continue;
            foreach (var role in Everyone.Except(policy.Roles))
            {
                using var response = await clients[(route.Kind, role)].SendAsync(Request(route));
                checkedCalls++;
                if (Outcome(route, response) != Refusal.Forbidden)
                    failures.Add($"{route.Key} as {role}: got {Describe(response)}, expected " +
                                 (route.Kind == EndpointKind.Api ? "403" : "a redirect to /account/denied"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCalls > 300, $"Only {checkedCalls} wrong-role calls were made.");
    }

    [Fact]
    public async Task ProtectedEndpoints_WhenCalledByARightRole_PassAuthorization()
    {
        var clients = await ClientsAsync();
        var failures = new List<string>();

        foreach (var route in Routes())
        {
            var policy = Policy(route);
            if (policy.Access == Access.Public) continue;
            foreach (var role in policy.Access == Access.SignedIn ? Everyone : policy.Roles)
            {
                using var response = await clients[(route.Kind, role)].SendAsync(Request(route));
                var outcome = Outcome(route, response);
                if (outcome is Refusal.SignInRequired or Refusal.Forbidden)
                    failures.Add($"{route.Key} as {role}: refused with {Describe(response)}; the policy table says {role} may call it");
                else if ((int)response.StatusCode >= 500)
                    failures.Add($"{route.Key} as {role}: {Describe(response)} for unknown ids / an empty body");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task ApiEndpoints_WhenOnlyTheSignInCookieIsSent_Return401()
    {
        // /api/v1 authenticates by header only, so a browser's cookie can never be ridden cross-site (no CSRF surface).
        using var browser = await LeadFormHarness.SignInAsync(app, "admin@demo.test", LeadExchangeFactory.DemoPassword);
        var failures = new List<string>();

        foreach (var route in Routes().Where(r => r.Kind == EndpointKind.Api && Policy(r).Access != Access.Public))
        {
            using var response = await browser.SendAsync(Request(route));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
                failures.Add($"{route.Key} with the admin's sign-in cookie: {Describe(response)}, expected 401");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task MiddlewarePaths_OnThePublicList_AnswerAnonymously()
    {
        using var anonymous = app.CreateAnonymousClient();

        foreach (var (path, _) in EndpointPolicies.PublicMiddlewarePaths)
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect,
                $"{path}: {Describe(response)}");
        }
    }

    // ---- helpers ----

    private enum Refusal { None, SignInRequired, Forbidden }

    private IReadOnlyList<EndpointRoute> Routes() =>
        EndpointInventory.Enumerate(app.Services);

    private static EndpointPolicy Policy(EndpointRoute route) =>
        EndpointPolicies.All.TryGetValue(route.Key, out var policy)
            ? policy
            : throw new Xunit.Sdk.XunitException($"{route.Key} has no policy (see the first test of this class).");

    /// <summary>The request for a route: its sample URL, an empty JSON object (API) or an empty form (pages) as the body.</summary>
    private static HttpRequestMessage Request(EndpointRoute route)
    {
        var method = route.Method == "*" ? HttpMethod.Get : new HttpMethod(route.Method);
        var request = new HttpRequestMessage(method, route.SampleUrl);
        if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch)
            request.Content = route.Kind == EndpointKind.Mvc
                ? new FormUrlEncodedContent([])
                : new StringContent("{}", Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>How authentication and authorization answered: the API's 401/403, or the cookie handler's redirects.</summary>
    private static Refusal Outcome(EndpointRoute route, HttpResponseMessage response)
    {
        if (route.Kind == EndpointKind.Mvc || response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.AbsolutePath : l.OriginalString.Split('?')[0]) : "";
            if (response.StatusCode == HttpStatusCode.Redirect && location.Equals("/account/login", StringComparison.OrdinalIgnoreCase))
                return Refusal.SignInRequired;
            if (response.StatusCode == HttpStatusCode.Redirect && location.Equals("/account/denied", StringComparison.OrdinalIgnoreCase))
                return Refusal.Forbidden;
        }
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => Refusal.SignInRequired,
            HttpStatusCode.Forbidden => Refusal.Forbidden,
            _ => Refusal.None,
        };
    }

    private static string Describe(HttpResponseMessage response)
    {
        var text = $"{(int)response.StatusCode}";
        if (response.Headers.Location is { } location) text += $" -> {location}";
        return text;
    }

    /// <summary>An API client (demo key) and a signed-in browser (demo account cookie) for each role.</summary>
    private async Task<Dictionary<(EndpointKind, string), HttpClient>> ClientsAsync()
    {
        var clients = new Dictionary<(EndpointKind, string), HttpClient>();
        foreach (var role in Everyone)
        {
            var key = await app.DemoKeyAsync(role.ToLowerInvariant());
            clients[(EndpointKind.Api, role)] = app.CreateClientWithKey(key);
            clients[(EndpointKind.Other, role)] = clients[(EndpointKind.Api, role)];
            clients[(EndpointKind.Mvc, role)] = await LeadFormHarness.SignInAsync(app, $"{role.ToLowerInvariant()}@demo.test", LeadExchangeFactory.DemoPassword);
        }
        return clients;
    }
}
