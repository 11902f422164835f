namespace LeadExchange.Domain.Common;

/// <summary>A business rule was broken; the message is safe to show to the user.</summary>
public class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}
