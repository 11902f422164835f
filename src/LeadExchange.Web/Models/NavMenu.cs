using System.Security.Claims;
using LeadExchange.Domain.Identity;

namespace LeadExchange.Web.Models;

/// <summary>A menu link. Consecutive items with the same <paramref name="Group"/> share a dropdown (e.g. the admin's money pages).</summary>
public sealed record NavItem(string Text, string Area, string Controller, string Action = "Index", string? Group = null);

public sealed record NavSection(string Role, string Title, IReadOnlyList<NavItem> Items);

/// <summary>
/// The navigation a signed-in person gets: one section per role they hold. The account pages (profile, API keys, log out)
/// are not here: the account menu at the end of the navbar has them for every role. Each single-role menu, with that
/// account menu, the language switcher and the bell, has to fit one row at 1200 px (in English and Russian): a new top-level
/// item is likely to need a group (NavLayoutTests measures it).
/// </summary>
public static class NavMenu
{
    private static readonly IReadOnlyList<NavSection> Sections =
    [
        new(Roles.Advertiser, "Advertiser",
        [
            new("Dashboard", "Advertiser", "Home"),
            new("My offers", "Advertiser", "Offers"),
            new("Webmasters", "Advertiser", "Participations"),
            new("Lead catalog", "Advertiser", "LeadCatalog", Group: "Leads"),
            new("Lead orders", "Advertiser", "LeadOrders", Group: "Leads"),
            new("Seller offers", "Advertiser", "SellerOffers", Group: "Leads"),
            new("Inbox", "Advertiser", "Purchases", Group: "Leads"),
            new("Lead webhook", "Advertiser", "Webhook", Group: "Leads"),
            new("Disputes", "Advertiser", "Disputes", Group: "Leads"),
            new("Conversions", "Advertiser", "Conversions", Group: "Tracking"),
            new("Postback log", "Advertiser", "Postback", Group: "Tracking"),
            new("Reports", "Advertiser", "Reports"),
            new("Balance", "Advertiser", "Balance"),
            new("Lead forecast", "Advertiser", "Forecast", Group: "Prices"),
            new("Price quote", "", "Prices", Group: "Prices"),
        ]),
        new(Roles.Webmaster, "Webmaster",
        [
            new("Dashboard", "Webmaster", "Home"),
            new("Offer catalog", "Webmaster", "Offers", Group: "Offers"),
            new("My links", "Webmaster", "Links", Group: "Offers"),
            new("My leads", "Webmaster", "Leads", Group: "Leads"),
            new("Lead forms", "Webmaster", "LeadForms", Group: "Leads"),
            new("Lead API", "Webmaster", "LeadApi", Group: "Leads"),
            new("Seller offers", "Webmaster", "SellerOffers", Group: "Leads"),
            new("Disputes", "Webmaster", "Disputes", Group: "Leads"),
            new("Conversions", "Webmaster", "Conversions", Group: "Tracking"),
            new("Postback", "Webmaster", "Postback", Group: "Tracking"),
            new("Reports", "Webmaster", "Reports"),
            new("Earnings & payouts", "Webmaster", "Payouts"),
            new("Price quote", "", "Prices"),
        ]),
        new(Roles.Admin, "Admin",
        [
            new("Dashboard", "Admin", "Home"),
            new("Niches", "Admin", "Niches"),
            new("Regions", "Admin", "Regions"),
            new("Users", "Admin", "Users", Group: "Access"),
            new("Blocklist", "Admin", "Blocklist", Group: "Access"),
            new("Audit log", "Admin", "Audit", Group: "Access"),
            new("Reports", "Moderation", "Reports"),
            new("Ledger", "Admin", "Ledger", Group: "Money"),
            new("Manual top-up", "Admin", "TopUps", Group: "Money"),
            new("Payouts", "Admin", "Payouts", Group: "Money"),
            new("Money settings", "Admin", "Settings", Group: "Money"),
            new("Price tables", "Admin", "Pricing", Group: "Pricing"),
            new("Geo factors", "Admin", "Pricing", "Geo", Group: "Pricing"),
            new("Price changes", "Admin", "Pricing", "Changes", Group: "Pricing"),
            new("Price quote", "", "Prices", Group: "Pricing"),
        ]),
        new(Roles.Moderator, "Moderation",
        [
            new("Dashboard", "Moderation", "Home"),
            new("Disputes", "Moderation", "Disputes"),
            new("Reports", "Moderation", "Reports"),
            new("Price quote", "", "Prices"),
        ]),
    ];

    public static IReadOnlyList<NavSection> For(ClaimsPrincipal user) => Sections.Where(s => user.IsInRole(s.Role)).ToList();

    /// <summary>Where "home" is for a signed-in person: the dashboard of their first role; null without one.</summary>
    public static string? DashboardPath(ClaimsPrincipal user) =>
        For(user).FirstOrDefault() is { } section ? "/" + section.Items[0].Area : null;
}
