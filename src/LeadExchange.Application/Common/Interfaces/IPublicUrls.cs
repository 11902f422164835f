namespace LeadExchange.Application.Common.Interfaces;

/// <summary>Absolute URLs the outside world uses (tracking links, postback URLs), from configuration.</summary>
public interface IPublicUrls
{
    /// <summary>The site's origin without a trailing slash, e.g. https://app.example.com.</summary>
    string BaseUrl { get; }

    string TrackingLink(string linkCode);
}
