using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>
/// Start-up work on the database: migrations (when configured), roles and reference data (always,
/// only what is missing, so admins' edits survive restarts), and demo accounts and offers in demo mode.
/// </summary>
public sealed class DatabaseInitializer(
    AppDbContext db,
    UserManager<ApplicationUser> users,
    IUserStore<ApplicationUser> userStore,
    RoleManager<IdentityRole> roles,
    IOptions<DatabaseOptions> dbOptions,
    IOptions<DemoOptions> demoOptions,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    IClock clock,
    IServiceProvider services,
    ILogger<DatabaseInitializer> logger)
{
    public static readonly IReadOnlyList<(string Email, string Role, string Name)> DemoAccounts =
    [
        ("advertiser@demo.test", Roles.Advertiser, "Demo Advertiser"),
        ("webmaster@demo.test", Roles.Webmaster, "Demo Webmaster"),
        ("moderator@demo.test", Roles.Moderator, "Demo Moderator"),
        ("admin@demo.test", Roles.Admin, "Demo Admin"),
    ];

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        // First, before any migration or account: reading the options validates them, and demo mode in Production stops here.
        var demo = demoOptions.Value;
        if (dbOptions.Value.MigrateOnStartup)
        {
            logger.LogInformation("Applying database migrations ({Provider})", dbOptions.Value.Provider);
            await db.Database.MigrateAsync(ct);
        }
        if (dbOptions.Value.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers work while one writer commits; the busy timeout queues writers instead of failing.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // Every step below inserts only what is missing: one instance at a time, or replicas starting together collide.
        await using (await StartupSeedLock.AcquireAsync(db, dbOptions.Value.Provider, logger, ct))
        {
            foreach (var role in Roles.All)
                if (!await roles.RoleExistsAsync(role))
                    await roles.CreateAsync(new IdentityRole(role));

            await SeedReferenceDataAsync(ct);
            await PricingReferenceData.SeedAsync(db, logger, ct);
            await EnsureBootstrapAdminAsync();
            if (demo.Enabled)
                await SeedDemoAsync(ct);
        }
    }

    /// <summary>
    /// Production's first admin: Admin:Email and Admin:Password (from secrets or the environment) create the
    /// account once if it does not exist; an existing account is never changed.
    /// </summary>
    private async Task EnsureBootstrapAdminAsync()
    {
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password)) return;
        if (await users.FindByEmailAsync(email) is not null) return;
        var admin = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = clock.UtcNow };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
            throw new InvalidOperationException($"Admin:Email/Admin:Password: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        await users.AddToRoleAsync(admin, Roles.Admin);
        logger.LogInformation("Created the bootstrap admin account from Admin:Email");
    }

    private async Task SeedReferenceDataAsync(CancellationToken ct)
    {
        var nicheCodes = await db.Niches.Select(n => n.Code).ToListAsync(ct);
        db.Niches.AddRange(ReferenceData.Niches().Where(n => !nicheCodes.Contains(n.Code)));
        var regionCodes = await db.Regions.Select(r => r.Code).ToListAsync(ct);
        db.Regions.AddRange(ReferenceData.Regions().Where(r => !regionCodes.Contains(r.Code)));
        var added = await db.SaveChangesAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {Count} reference rows (niches, regions)", added);
    }

    /// <summary>The demo advertiser starts with a balance, recorded like any manual top-up.</summary>
    private async Task SeedDemoMoneyAsync(string advertiserId, CancellationToken ct)
    {
        if (await db.JournalEntries.AnyAsync(ct)) return;
        await new UnitOfWork(db).RunAsync(token => new LedgerPoster(db, clock, new LedgerAccountCache()).PostAsync(JournalEntryType.TopUp, "demo:initial-balance",
            "Demo top-up (manual)", "RUB",
            [(AccountKey.Platform(AccountType.PaymentClearing, "RUB"), -100_000_00),
             (new AccountKey(AccountType.AdvertiserBalance, advertiserId, "RUB"), 100_000_00)], null, token), ct);
    }

    private async Task SeedDemoAsync(CancellationToken ct)
    {
        var ids = new Dictionary<string, string>();
        foreach (var (email, role, name) in DemoAccounts)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = clock.UtcNow, TimeZone = "Europe/Moscow" };
                var result = await users.CreateAsync(user, DemoOptions.Password);
                if (!result.Succeeded)
                    throw new InvalidOperationException($"Demo user {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
                await users.AddToRoleAsync(user, role);
            }
            if (Roles.RequireTwoFactor([role]) && !user.TwoFactorEnabled)
            {
                await ((IUserAuthenticatorKeyStore<ApplicationUser>)userStore).SetAuthenticatorKeyAsync(user, DemoOptions.AuthenticatorKey, ct);
                await users.SetTwoFactorEnabledAsync(user, true);
            }
            ids[role] = user.Id;
        }

        await SeedDemoMoneyAsync(ids[Roles.Advertiser], ct);
        if (await db.Offers.AnyAsync(ct)) return;
        var now = clock.UtcNow;
        var advertiser = ids[Roles.Advertiser];
        var offers = new[]
        {
            Offer.Create(advertiser, new OfferSpec("real-estate", "New-build apartments in Moscow", "Leads for apartments in new buildings: buyers with a budget and a timeframe.",
                "https://realty.example/landing?cid={click_id}&wm={webmaster_id}&s1={sub1}", "RUB", OfferAccess.Public, 14, 200, 5000,
                ["RU-MOW", "RU-MOS"],
                [new GoalSpec("lead", "Qualified lead", PayoutModel.Cpl, 250_000, 180_000, IsDefault: true),
                 new GoalSpec("sale", "Apartment sold", PayoutModel.Cps, 0, 0, 150, 100)]), now),
            Offer.Create(advertiser, new OfferSpec("credit", "Consumer loans up to 1M RUB", "Approved loan applications across Russia.",
                "https://loans.example/apply?click={click_id}&sub={sub1}", "RUB", OfferAccess.Public, 7, null, null,
                ["RU"],
                [new GoalSpec("application", "Application submitted", PayoutModel.Cpl, 80_000, 55_000, IsDefault: true),
                 new GoalSpec("issued", "Loan issued", PayoutModel.Cpa, 300_000, 220_000)]), now),
            Offer.Create(advertiser, new OfferSpec("legal", "Family law consultations", "People who asked for a family lawyer consultation.",
                "https://law.example/?cid={click_id}", "RUB", OfferAccess.ApprovalRequired, 14, 50, 1000,
                ["RU-MOW", "RU-SPE", "RU-MUR"],
                [new GoalSpec("consultation", "Consultation booked", PayoutModel.Cpa, 60_000, 40_000, IsDefault: true)]), now),
            Offer.Create(advertiser, new OfferSpec("insurance", "Car insurance quotes (US)", "Drivers asking for an auto insurance quote.",
                "https://insure.example/quote?clickid={click_id}&aff={webmaster_id}", "USD", OfferAccess.Public, 30, null, 20000,
                ["US"],
                [new GoalSpec("quote", "Quote requested", PayoutModel.Cpl, 2_500, 1_800, IsDefault: true)]), now),
        };
        db.Offers.AddRange(offers);
        await db.SaveChangesAsync(ct);
        db.OfferParticipations.Add(OfferParticipation.Join(offers[0], ids[Roles.Webmaster], now));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo accounts and {Count} demo offers", offers.Length);
        if (!demoOptions.Value.SampleActivity) return;
        try
        {
            await Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<DemoActivity>(services)
                .SeedAsync(advertiser, ids[Roles.Webmaster], ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Sample activity is a convenience: a failure is logged and the app starts without it.
            db.ChangeTracker.Clear();
            logger.LogError(ex, "Demo sample activity could not be seeded");
        }
    }
}
