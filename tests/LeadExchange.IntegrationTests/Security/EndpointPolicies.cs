using static LeadExchange.Domain.Identity.Roles;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>Who may call an endpoint.</summary>
public enum Access
{
    /// <summary>Anyone, signed in or not; <see cref="EndpointPolicy.Why"/> says what protects it instead.</summary>
    Public,
    /// <summary>Any signed-in person (API key or cookie); the handler scopes what each one sees.</summary>
    SignedIn,
    /// <summary>Only the listed roles; everybody else is refused (403, or the MVC access-denied page).</summary>
    Roles,
}

public sealed record EndpointPolicy(Access Access, IReadOnlyList<string> Roles, string Why);

/// <summary>
/// The reviewed access policy of every route the app serves (issue #9). <see cref="EndpointAuthorizationTests"/> checks
/// both ways that this table and the app agree: a route missing here fails the build's tests until someone decides
/// who may call it, and every entry is proven by requests (anonymous, each wrong role, a right role).
/// Public entries are the reviewed allow-list: each says what protects it instead of a sign-in.
/// </summary>
public static class EndpointPolicies
{
    private static readonly Dictionary<string, EndpointPolicy> Table = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, EndpointPolicy> All => Table;

    /// <summary>
    /// Paths the app serves from middleware rather than endpoints (so the endpoint data source cannot list them):
    /// anonymous on purpose, and read-only.
    /// </summary>
    public static readonly IReadOnlyList<(string Path, string Why)> PublicMiddlewarePaths =
    [
        ("/swagger", "Swagger UI (NSwag middleware): describes the public API, serves no data."),
        ("/swagger/v1/swagger.json", "The OpenAPI document (NSwag middleware)."),
        ("/css/site.css", "Static files (wwwroot)."),
    ];

    static EndpointPolicies()
    {
        // ---- Public: the reviewed allow-list ----
        Public("Landing page for visitors; signed-in people are redirected to their dashboard.", "GET /Home/Index");
        Public("Sign-in and sign-up pages and forms: antiforgery, the auth rate limit, Identity lockout.",
            "GET /account/login", "POST /account/login", "GET /account/register", "POST /account/register");
        Public("The sign-in's second step (authenticator or recovery code): only with the two-factor cookie of a right password (else back to the password), antiforgery, the auth rate limit, Identity lockout; codes accepted once.",
            "GET /account/login/2fa", "POST /account/login/2fa", "GET /account/login/recovery", "POST /account/login/recovery");
        Public("The access-denied page itself.", "GET /account/denied");
        Public("Language switcher: antiforgery, only local return URLs, changes nothing but a cookie (and a signed-in person's profile).",
            "POST /ui/language");
        Public("Error pages, re-executed for any method.", "* /error", "* /error/{code:int}");
        Public("Hosted lead form: anonymous visitors by design; protected fill-time ticket, honeypot, leads rate limit, intake velocity rules (see docs/security.md).",
            "GET /f/{code}", "POST /f/{code}", "GET /f/{code}/thanks");
        Public("Tracking link click: anonymous visitors by design; unknown codes 404, redirects only to the offer's landing.", "GET /c/{linkCode}");
        Public("Postbacks and pixel: authenticated by the advertiser's postback token (+ optional HMAC and IP allow-list), rate-limited per address.",
            "GET /postback", "POST /postback", "GET /pixel.gif");
        Public("Stripe webhooks: authenticated by the Stripe-Signature HMAC of the raw body.", "POST /stripe/webhook", "POST /stripe/connect-webhook");
        Public("Health probes for the load balancer: status only, no data.", "* /health/live", "* /health/ready");
        Public("API sign-up and key-by-password: the auth rate limit, Identity lockout on /keys.",
            "POST /api/v1/auth/register", "POST /api/v1/auth/keys");

        // ---- Signed in, any role (the handler scopes the data to the caller) ----
        SignedIn("Own account, API keys and notifications.",
            "GET /account/profile", "POST /account/profile", "GET /account/apikeys", "POST /account/apikeys",
            "POST /account/apikeys/{id:guid}/revoke", "POST /account/logout",
            "GET /account/2fa", "POST /account/2fa/enable", "POST /account/2fa/recovery-codes", "POST /account/2fa/disable",
            "GET /Notifications/Index", "POST /Notifications/MarkAllRead", "GET /Prices/Index",
            "GET /api/v1/api-keys", "POST /api/v1/api-keys", "DELETE /api/v1/api-keys/{id:guid}",
            "GET /api/v1/profile", "PUT /api/v1/profile", "GET /api/v1/notifications", "POST /api/v1/notifications/read");
        SignedIn("Reference data and prices every role reads.",
            "GET /api/v1/niches", "GET /api/v1/niches/{code}", "GET /api/v1/regions", "GET /api/v1/pricing/quote", "GET /api/v1/pricing/funnel");
        SignedIn("Lists and items scoped per role: advertisers their own, webmasters the catalog or their own, staff everything.",
            "GET /api/v1/offers", "GET /api/v1/offers/{id:guid}", "GET /api/v1/conversions", "GET /api/v1/disputes",
            "GET /api/v1/disputes/{id:guid}", "GET /api/v1/disputes/{id:guid}/evidence/{evidenceId:guid}",
            "GET /api/v1/seller-offers", "GET /api/v1/seller-offers/{id:guid}", "GET /api/v1/reports", "GET /api/v1/reports/dashboard");

        // ---- API by role ----
        Roles("Advertiser work.", [Advertiser],
            "POST /api/v1/offers", "PUT /api/v1/offers/{id:guid}", "POST /api/v1/offers/{id:guid}/status",
            "GET /api/v1/offers/{id:guid}/postback-url", "POST /api/v1/participations/{id:guid}/decision",
            "GET /api/v1/postback-settings", "PUT /api/v1/postback-settings",
            "GET /api/v1/lead-orders", "POST /api/v1/lead-orders", "GET /api/v1/lead-orders/{id:guid}", "PUT /api/v1/lead-orders/{id:guid}",
            "POST /api/v1/catalog/{leadId:guid}/buy", "GET /api/v1/purchases", "GET /api/v1/purchases/{saleId:guid}",
            "PATCH /api/v1/purchases/{saleId:guid}", "POST /api/v1/purchases/{saleId:guid}/dispute", "POST /api/v1/purchases/{saleId:guid}/resend",
            "GET /api/v1/webhook", "PUT /api/v1/webhook", "GET /api/v1/webhook/deliveries", "POST /api/v1/webhook/rotate-secret",
            "POST /api/v1/seller-offers/{id:guid}/subscribe", "POST /api/v1/top-ups");
        Roles("Webmaster work.", [Webmaster],
            "POST /api/v1/offers/{id:guid}/join", "POST /api/v1/leads",
            "GET /api/v1/webmaster-postback", "PUT /api/v1/webmaster-postback", "GET /api/v1/webmaster-postback/deliveries",
            "POST /api/v1/payouts", "POST /api/v1/payouts/onboarding", "GET /api/v1/payouts/setup",
            "POST /api/v1/seller-offers", "PUT /api/v1/seller-offers/{id:guid}", "POST /api/v1/seller-offers/{id:guid}/status",
            "GET /api/v1/seller-offers/{id:guid}/subscriptions");
        Roles("Both sides of an offer or a subscription.", [Advertiser, Webmaster],
            "GET /api/v1/offers/{id:guid}/participations", "GET /api/v1/participations", "POST /api/v1/subscriptions/{id:guid}",
            "GET /api/v1/balance");
        Roles("Own statement; admins any account's.", [Advertiser, Webmaster, Admin], "GET /api/v1/ledger");
        Roles("Advertisers their own; admins everyone's.", [Advertiser, Admin],
            "GET /api/v1/postback-log", "GET /api/v1/top-ups", "GET /api/v1/pricing/forecast");
        Roles("Webmasters their own; admins everyone's.", [Webmaster, Admin], "GET /api/v1/payouts");
        Roles("Buyers and staff browse the masked catalog.", [Advertiser, Moderator, Admin], "GET /api/v1/catalog");
        Roles("The offer's advertiser, or staff reviewing a flagged conversion.", [Advertiser, Moderator, Admin],
            "POST /api/v1/conversions/{id:guid}/status");
        Roles("Moderation.", [Moderator, Admin],
            "POST /api/v1/disputes/{id:guid}/claim", "DELETE /api/v1/disputes/{id:guid}/claim", "POST /api/v1/disputes/{id:guid}/decision");
        Roles("Administration.", [Admin],
            "GET /api/v1/admin/audit", "GET /api/v1/admin/ledger/reconciliation", "POST /api/v1/admin/manual-top-ups", "POST /api/v1/admin/manual-adjustments", "POST /api/v1/admin/niches",
            "PUT /api/v1/admin/niches/{code}", "POST /api/v1/admin/payouts/{id:guid}/settlement", "GET /api/v1/admin/pricing/changes",
            "GET /api/v1/admin/pricing/demand", "POST /api/v1/admin/pricing/demand/recompute", "GET /api/v1/admin/pricing/geo",
            "DELETE /api/v1/admin/pricing/geo/{region}", "PUT /api/v1/admin/pricing/geo/{region}", "GET /api/v1/admin/pricing/niches",
            "GET /api/v1/admin/pricing/niches/{niche}", "PUT /api/v1/admin/pricing/niches/{niche}/prices",
            "PUT /api/v1/admin/pricing/niches/{niche}/season", "GET /api/v1/admin/pricing/niches/{niche}/table",
            "PUT /api/v1/admin/pricing/niches/{niche}/temperature", "POST /api/v1/admin/regions", "PUT /api/v1/admin/regions/{code}",
            "GET /api/v1/admin/settings", "PUT /api/v1/admin/settings", "GET /api/v1/admin/users", "POST /api/v1/admin/users/{userId}/roles");

        // ---- MVC areas: each area controller's base class carries the role ----
        Roles("Advertiser area.", [Advertiser],
            "GET /Advertiser/Balance/Csv", "GET /Advertiser/Balance/Index", "POST /Advertiser/Balance/Index",
            "GET /Advertiser/Conversions/Csv", "GET /Advertiser/Conversions/Index", "POST /Advertiser/Conversions/Status/{id?}",
            "GET /Advertiser/Disputes/Index", "GET /Advertiser/Disputes/Open/{id?}", "POST /Advertiser/Disputes/Open/{id?}",
            "GET /Advertiser/Forecast/Index", "GET /Advertiser/Home/Index",
            "GET /Advertiser/Integration/Offer/{id?}", "POST /Advertiser/Integration/Test/{id?}",
            "POST /Advertiser/LeadCatalog/Buy/{id?}", "GET /Advertiser/LeadCatalog/Index",
            "POST /Advertiser/LeadOrders/Active/{id?}", "GET /Advertiser/LeadOrders/Create", "POST /Advertiser/LeadOrders/Create",
            "GET /Advertiser/LeadOrders/Edit/{id?}", "POST /Advertiser/LeadOrders/Edit/{id?}", "GET /Advertiser/LeadOrders/Index",
            "GET /Advertiser/Offers/Create", "POST /Advertiser/Offers/Create", "GET /Advertiser/Offers/Details/{id?}",
            "GET /Advertiser/Offers/Edit/{id?}", "POST /Advertiser/Offers/Edit/{id?}", "GET /Advertiser/Offers/Index",
            "POST /Advertiser/Offers/Status/{id?}",
            "POST /Advertiser/Participations/Decide/{id?}", "GET /Advertiser/Participations/Index",
            "GET /Advertiser/Postback/Csv", "GET /Advertiser/Postback/Index", "POST /Advertiser/Postback/Rotate",
            "GET /Advertiser/Postback/Settings", "POST /Advertiser/Postback/Settings",
            "GET /Advertiser/Purchases/Csv", "GET /Advertiser/Purchases/Details/{id?}", "POST /Advertiser/Purchases/Details/{id?}",
            "GET /Advertiser/Purchases/Index", "POST /Advertiser/Purchases/Resend/{id?}",
            "GET /Advertiser/Reports/Csv", "GET /Advertiser/Reports/Index",
            "GET /Advertiser/SellerOffers/Details/{id?}", "GET /Advertiser/SellerOffers/Index",
            "POST /Advertiser/SellerOffers/Subscribe/{id?}", "POST /Advertiser/SellerOffers/Subscription/{id?}",
            "GET /Advertiser/Webhook/Deliveries", "GET /Advertiser/Webhook/DeliveriesCsv", "GET /Advertiser/Webhook/Index",
            "POST /Advertiser/Webhook/Index", "POST /Advertiser/Webhook/Rotate");
        Roles("Webmaster area.", [Webmaster],
            "GET /Webmaster/Conversions/Csv", "GET /Webmaster/Conversions/Index", "GET /Webmaster/Disputes/Index",
            "GET /Webmaster/Home/Index", "GET /Webmaster/LeadApi/Index",
            "POST /Webmaster/LeadForms/Active", "GET /Webmaster/LeadForms/Index", "POST /Webmaster/LeadForms/Index",
            "GET /Webmaster/Leads/Csv", "GET /Webmaster/Leads/Index", "GET /Webmaster/Links/Index",
            "GET /Webmaster/Offers/Details/{id?}", "GET /Webmaster/Offers/Index", "POST /Webmaster/Offers/Join/{id?}",
            "GET /Webmaster/Payouts/Csv", "GET /Webmaster/Payouts/Index", "POST /Webmaster/Payouts/Index",
            "POST /Webmaster/Payouts/Onboarding", "GET /Webmaster/Payouts/Statement",
            "GET /Webmaster/Postback/Deliveries", "GET /Webmaster/Postback/DeliveriesCsv", "GET /Webmaster/Postback/Index",
            "POST /Webmaster/Postback/Index", "GET /Webmaster/Reports/Csv", "GET /Webmaster/Reports/Index",
            "GET /Webmaster/SellerOffers/Create", "POST /Webmaster/SellerOffers/Create", "GET /Webmaster/SellerOffers/Details/{id?}",
            "GET /Webmaster/SellerOffers/Edit/{id?}", "POST /Webmaster/SellerOffers/Edit/{id?}", "GET /Webmaster/SellerOffers/Index",
            "POST /Webmaster/SellerOffers/Status/{id?}", "POST /Webmaster/SellerOffers/Subscription/{id?}");
        Roles("Moderation area (admins may moderate too).", [Moderator, Admin],
            "POST /Moderation/Disputes/Claim/{id?}", "GET /Moderation/Disputes/Csv", "GET /Moderation/Disputes/Details/{id?}",
            "POST /Moderation/Disputes/Details/{id?}", "GET /Moderation/Disputes/Evidence/{id?}", "GET /Moderation/Disputes/Index",
            "POST /Moderation/Disputes/Release/{id?}", "GET /Moderation/Home/Index", "GET /Moderation/Reports/Csv",
            "GET /Moderation/Reports/Index");
        Roles("Admin area.", [Admin],
            "GET /Admin/Audit/Csv", "GET /Admin/Audit/Index", "GET /Admin/Blocklist/Index", "POST /Admin/Blocklist/Index", "POST /Admin/Blocklist/Remove/{id?}", "GET /Admin/Home/Index",
            "POST /Admin/Ledger/Check", "GET /Admin/Ledger/Csv", "GET /Admin/Ledger/Index",
            "GET /Admin/Niches/Create", "POST /Admin/Niches/Create", "GET /Admin/Niches/Edit/{id?}", "POST /Admin/Niches/Edit/{id?}",
            "GET /Admin/Niches/Index", "GET /Admin/Payouts/Index", "POST /Admin/Payouts/MarkFailed/{id?}", "POST /Admin/Payouts/MarkPaid/{id?}",
            "GET /Admin/Pricing/Changes", "GET /Admin/Pricing/Edit/{id?}", "GET /Admin/Pricing/Geo", "POST /Admin/Pricing/Geo",
            "GET /Admin/Pricing/Index", "POST /Admin/Pricing/Multipliers/{id?}", "POST /Admin/Pricing/Prices/{id?}",
            "POST /Admin/Pricing/Recompute", "POST /Admin/Pricing/RemoveGeo", "POST /Admin/Pricing/Season/{id?}",
            "GET /Admin/Regions/Create", "POST /Admin/Regions/Create", "GET /Admin/Regions/Edit/{id?}", "POST /Admin/Regions/Edit/{id?}",
            "GET /Admin/Regions/Index", "GET /Admin/Settings/Index", "POST /Admin/Settings/Index",
            "GET /Admin/TopUps/Adjust", "POST /Admin/TopUps/Adjust", "GET /Admin/TopUps/Index", "POST /Admin/TopUps/Index", "GET /Admin/Users/Index", "POST /Admin/Users/SetRole/{id?}");
    }

    private static void Public(string why, params string[] keys) => Add(new EndpointPolicy(Access.Public, [], why), keys);

    private static void SignedIn(string why, params string[] keys) => Add(new EndpointPolicy(Access.SignedIn, [], why), keys);

    private static void Roles(string why, string[] roles, params string[] keys) => Add(new EndpointPolicy(Access.Roles, roles, why), keys);

    private static void Add(EndpointPolicy policy, string[] keys)
    {
        foreach (var key in keys)
            if (!Table.TryAdd(key, policy))
                throw new InvalidOperationException($"{key} is listed twice in EndpointPolicies.");
    }
}
