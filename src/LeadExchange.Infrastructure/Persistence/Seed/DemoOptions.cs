namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>Section "Demo". On by default (embedded run); production configuration turns it off.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string Password = "Demo!2345";

    public bool Enabled { get; set; } = true;

    /// <summary>Sample leads, purchases, a dispute and a paused order on a fresh demo database (tests turn it off).</summary>
    public bool SampleActivity { get; set; } = true;
}
