using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.Infrastructure.Common;

public sealed class SystemClock(TimeProvider time) : IClock
{
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
