namespace LeadExchange.Application.Common.Interfaces;

/// <summary>Absolute URLs the outside world uses (tracking links, postback URLs), from configuration.</summary>
public interface IPublicUrls
{
    string TrackingLink(string linkCode);
}
