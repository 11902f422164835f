namespace LeadExchange.Application.Common.Interfaces;

public interface IClock
{
    /// <summary>Now, in UTC.</summary>
    DateTime UtcNow { get; }
}
