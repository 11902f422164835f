namespace LeadExchange.Domain.Buying;

/// <summary>An in-app notice to one user (a subscription paused or ended by the other side, ...), shown until read.</summary>
public sealed class Notification
{
    public const int TextMaxLength = 500;

    private Notification() { }

    public Notification(string userId, string text, string? link, DateTime now)
    {
        Id = Guid.NewGuid();
        UserId = userId;
        Text = text.Length > TextMaxLength ? text[..TextMaxLength] : text;
        Link = link;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string Text { get; private set; } = "";
    /// <summary>An app-relative link to what it is about.</summary>
    public string? Link { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? ReadAt { get; private set; }
}
