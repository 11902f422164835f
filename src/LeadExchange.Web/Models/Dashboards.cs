namespace LeadExchange.Web.Models;

public sealed record AdvertiserDashboard(int ActiveOffers, int AllOffers, int PendingRequests, int ApprovedWebmasters, DashboardPage Activity);

public sealed record WebmasterDashboard(int CatalogOffers, int JoinedOffers, int ApprovedLinks, int PendingRequests, DashboardPage Activity);
