namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>Section "Demo". On by default (embedded run); production configuration turns it off.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string Password = "Demo!2345";

    /// <summary>
    /// The demo admin's and moderator's authenticator secret (Base32): they sign in with two factors like every admin and
    /// moderator. Public like the password; add it to an authenticator app, or read the current code on the sign-in
    /// page's second step, which shows it for demo accounts only.
    /// </summary>
    public const string AuthenticatorKey = "LXDEMOAUTHKEY2FAADMINSANDMODS234";

    /// <summary>Why start-up stops when demo mode meets the Production environment (checked before the database is touched).</summary>
    public const string InProductionMessage =
        "Demo:Enabled is true while ASPNETCORE_ENVIRONMENT is Production: the demo accounts (admin@demo.test and others, with a " +
        "public password) would be created and could sign in. Set Demo__Enabled=false (and Admin:Email/Admin:Password for the " +
        "first admin); a benchmark or try-out that really wants demo data in Production sets Demo__AllowInProduction=true.";

    public bool Enabled { get; set; } = true;

    /// <summary>Sample leads, purchases, a dispute and a paused order on a fresh demo database (tests turn it off).</summary>
    public bool SampleActivity { get; set; } = true;

    /// <summary>Demo data in the Production environment on purpose (the load benchmarks); off by default, so start-up refuses it.</summary>
    public bool AllowInProduction { get; set; }
}
