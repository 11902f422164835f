using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Pricing;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Leads;

public sealed record ConsentInput(string? Text, DateTime? GivenAt, string? PageUrl, string? Ip);

/// <summary>API.md "Lead submission" body (the hosted form posts the same).</summary>
public sealed record SubmitLeadInput(
    string? Niche, string? Region, string? Name, string? Phone, string? Email, Dictionary<string, JsonElement>? Fields, ConsentInput? Consent,
    string? ClickId = null, Guid? OfferId = null, string? Sub1 = null, string? Sub2 = null, string? Sub3 = null, string? Sub4 = null, string? Sub5 = null,
    int? FormFillSeconds = null)
{
    /// <summary>Without the contact: a record prints every member, and ASP.NET Core logs action arguments at Trace level.</summary>
    public override string ToString() => $"{nameof(SubmitLeadInput)} {{ Niche = {Niche}, Region = {Region}, OfferId = {OfferId}, ClickId = {ClickId}, contact redacted }}";
}

public sealed record LeadPriceDto(long Amount, string Currency, LeadPriceBreakdownDto Breakdown);

public sealed record LeadPriceBreakdownDto(long Base, decimal Geo, decimal Season, decimal Temperature, decimal Demand);

/// <summary>201 body: {leadId, status, temperature, score, price, soldTo}; 409 body: {code: "duplicate", duplicateOf}.</summary>
public sealed record LeadAnswer(Guid LeadId, string Status, string? Temperature, int? Score, LeadPriceDto? Price, int SoldTo,
    string? Code = null, Guid? DuplicateOf = null, string? Message = null);

public sealed record SubmitLeadResult(int HttpStatus, LeadAnswer Answer);

/// <summary>Too many submissions: 429 with Retry-After.</summary>
public sealed class TooManyRequestsException(string message, int retryAfterSeconds) : Exception(message)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>
/// Lead intake. Order: seller (blocked → 403) → Idempotency-Key replay → validation (every error by field,
/// nothing stored) → velocity (429, recorded) → honeypot, fill time, blocklists (rejected, recorded) →
/// dedup (Redis SET NX fast path, then the LeadDedupKeys rows as the truth, in the accepting transaction)
/// → score → price → accept in one short transaction. A lead with a click id then also becomes a CPL
/// conversion of its offer (its own transaction, idempotent on (click, goal, lead id)).
/// </summary>
public sealed record SubmitLeadCommand(SubmitLeadInput Input, LeadSource Source, string? FormSellerId = null, string? IdempotencyKey = null,
    string? SubmitIp = null, bool HoneypotFilled = false) : IRequest<SubmitLeadResult>;

public sealed class SubmitLeadHandler(
    IAppDbContext db, ICurrentUser user, IClock clock, IContactProtector protector, IDedupStore dedup, IRateCounters counters,
    IPriceQuoter pricer, IUnitOfWork uow, ConversionLifecycle conversions, ITrafficCounters traffic, SellerReturnRate sellerReturnRate,
    Buying.LeadDistributor distributor, IOptions<LeadIntakeOptions> options, ILogger<SubmitLeadHandler> logger)
    : IRequestHandler<SubmitLeadCommand, SubmitLeadResult>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The outcome for telemetry where the answer alone does not tell it (a replay, a blocklisted contact).</summary>
    private string? _outcome;

    public async Task<SubmitLeadResult> Handle(SubmitLeadCommand request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Telemetry.Source.StartActivity(Telemetry.Spans.LeadSubmit);
        var source = request.Source == LeadSource.Form ? "form" : "api";
        if (span is not null)
        {
            span.SetTag(Telemetry.Tags.Source, source);
            span.SetTag(Telemetry.Tags.Niche, request.Input.Niche);
            span.SetTag(Telemetry.Tags.OfferId, request.Input.OfferId);
        }
        _outcome = null;
        var outcome = "error";
        try
        {
            var result = await SubmitAsync(request, ct);
            span?.SetTag(Telemetry.Tags.LeadId, result.Answer.LeadId);
            outcome = _outcome ?? result.HttpStatus switch { 201 => "accepted", 409 => "duplicate", _ => "rejected" };
            return result;
        }
        catch (Exception ex)
        {
            outcome = _outcome ?? ex switch
            {
                ValidationException => "invalid",
                TooManyRequestsException => "rate_limited",
                ForbiddenException => "forbidden",
                _ => "error",
            };
            throw;
        }
        finally
        {
            Telemetry.LeadSubmitted(outcome, source, started, span);
        }
    }

    private async Task<SubmitLeadResult> SubmitAsync(SubmitLeadCommand request, CancellationToken ct)
    {
        var sellerId = request.FormSellerId ?? RequireWebmaster();
        var now = clock.UtcNow;
        if (await db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == sellerId, ct))
            throw new ForbiddenException("This seller account is blocked from submitting leads. Contact support.");

        var key = request.IdempotencyKey?.Trim();
        if (key is { Length: > Lead.IdempotencyKeyMaxLength })
            throw new ValidationException("Idempotency-Key", $"Idempotency-Key is at most {Lead.IdempotencyKeyMaxLength} characters.");
        if (!string.IsNullOrEmpty(key))
        {
            var since = now.AddHours(-options.Value.IdempotencyHours);
            var first = await db.Leads.AsNoTracking().Where(l => l.SellerId == sellerId && l.IdempotencyKey == key && l.CreatedAt >= since)
                .Select(l => l.FirstAnswerJson).FirstOrDefaultAsync(ct);
            if (first is not null)
            {
                _outcome = "replayed";
                return JsonSerializer.Deserialize<SubmitLeadResult>(first, Json)!;
            }
        }

        var (draft, niche, click) = await ValidateAsync(request, sellerId, key, now, ct);

        // Velocity: counted for every valid submission; over the limit it is refused and recorded.
        var minute = now.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
        // The person's address: the visitor of a hosted form, or the consent IP the seller reports (its own server is limited per seller).
        var ip = request.Source == LeadSource.Form ? request.SubmitIp : draft.ConsentIp;
        var keys = new List<string> { $"lead:v:s:{sellerId}:{minute}" };
        if (ip is not null) keys.Add($"lead:v:ip:{ip}:{minute}");
        var counts = await counters.IncrementAsync(keys, TimeSpan.FromMinutes(1), ct);
        if (counts[0] > options.Value.PerSellerPerMinute || (counts.Length > 1 && counts[1] > options.Value.PerIpPerMinute))
        {
            await RecordRejectedAsync(draft, "velocity: too many leads per minute", null, ct);
            throw new TooManyRequestsException("Too many leads in the last minute; slow down.", 60 - now.Second);
        }

        if (request.HoneypotFilled) return await RejectAsync(draft, "honeypot", "honeypot field filled (a bot)", null, ct);
        if (request.Source == LeadSource.Form && draft.FormFillSeconds is { } fill && fill < options.Value.MinFormFillSeconds)
            return await RejectAsync(draft, "too_fast", $"form filled in {fill} s, faster than a person can", null, ct);

        var hashes = ContactHashes(draft);
        var blocked = await db.Blocklist.AsNoTracking()
            .Where(b => (b.Kind == BlocklistKind.Phone || b.Kind == BlocklistKind.Email) && hashes.Contains(b.Value)).Select(b => b.Kind).ToListAsync(ct);
        if (blocked.Count > 0)
        {
            var field = blocked.Contains(BlocklistKind.Phone) ? "phone" : "email";
            await RecordRejectedAsync(draft, $"blocklisted {field}", null, ct);
            _outcome = "rejected";
            throw new ValidationException(field, $"This {field} is blocked on the exchange.");
        }

        // Fast path: the first submission of this person takes the Redis keys; a later one checks the database.
        var reserved = new List<string>();
        foreach (var hash in hashes)
        {
            var redisKey = $"lead:d:{niche.Code}:{hash}";
            if (await TryReserveAsync(redisKey, TimeSpan.FromDays(niche.DedupWindowDays), ct)) reserved.Add(redisKey);
            else if (await ActiveHolderAsync(niche.Code, hash, now, ct) is { } holder)
            {
                await ReleaseAsync(reserved);
                return await DuplicateAsync(draft, holder, ct);
            }
        }

        var returnRate = await sellerReturnRate.ReturnRateAsync(sellerId, now, ct);
        var score = LeadScoring.Score(ScoringFactsFor(draft, niche, returnRate), niche.Weights, niche.HotThreshold, niche.WarmThreshold);
        var price = await pricer.QuoteAsync(niche.Code, draft.RegionCode, score.Temperature, now, ct);
        var lead = Lead.Accept(draft, score, price.Price, price.Currency, JsonSerializer.Serialize(price, Json), now, niche.LeadExpiryDays);
        lead.IdentifyPerson(hashes[0]);
        var answer = new SubmitLeadResult(201, new LeadAnswer(lead.Id, "on_sale", Name(score.Temperature), score.Score,
            new LeadPriceDto(price.Price, price.Currency, new LeadPriceBreakdownDto(price.Base, price.Geo, price.Season, price.Temperature, price.Demand)), 0));
        lead.RememberAnswer(JsonSerializer.Serialize(answer, Json));
        try
        {
            await uow.RunAsync(token => AcceptAsync(lead, niche.Code, hashes, now.AddDays(niche.DedupWindowDays), token), ct);
        }
        catch (DuplicateLeadException duplicate)
        {
            db.ClearChangeTracker();
            return await DuplicateAsync(draft, duplicate.HolderId, ct);
        }
        catch
        {
            db.ClearChangeTracker();
            await ReleaseAsync(reserved);
            throw;
        }

        if (click is not null) await RecordCplConversionAsync(lead, click, ct);
        return await DistributeAsync(lead, niche, answer, ct);
    }

    /// <summary>The accepting unit: takes the person's dedup keys (or a holder's whose window ended) and stores the lead.</summary>
    private async Task AcceptAsync(Lead lead, string nicheCode, IReadOnlyList<string> hashes, DateTime keysExpireAt, CancellationToken ct)
    {
        var now = clock.UtcNow;
        // The person's keys (phone, and email when given) in one read.
        var holders = await db.LeadDedupKeys.AsNoTracking().Where(k => k.NicheCode == nicheCode && hashes.Contains(k.ContactHash)).ToListAsync(ct);
        foreach (var hash in hashes)
        {
            var holder = holders.FirstOrDefault(k => k.ContactHash == hash);
            if (holder is null)
            {
                db.LeadDedupKeys.Add(new LeadDedupKey(nicheCode, hash, lead.Id, keysExpireAt));
                continue;
            }
            if (holder.ExpiresAt > now) throw new DuplicateLeadException(holder.LeadId);
            // The window is over: take the key over, unless someone else just did.
            var taken = await db.LeadDedupKeys.Where(k => k.NicheCode == nicheCode && k.ContactHash == hash && k.ExpiresAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LeadId, lead.Id).SetProperty(k => k.ExpiresAt, keysExpireAt), ct);
            if (taken == 0) throw new DuplicateLeadException(holder.LeadId);
        }
        db.Leads.Add(lead);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another submission of the same person inserted the key first (PostgreSQL made us wait for its commit).
            db.ClearChangeTracker();
            var winner = await db.LeadDedupKeys.AsNoTracking()
                .Where(k => k.NicheCode == nicheCode && hashes.Contains(k.ContactHash) && k.LeadId != lead.Id)
                .Select(k => (Guid?)k.LeadId).FirstOrDefaultAsync(ct);
            if (winner is { } id) throw new DuplicateLeadException(id);
            throw;
        }
    }

    /// <summary>Offers the lead to the standing orders at once; the answer (and its Idempotency-Key replay) says how it went.</summary>
    private async Task<SubmitLeadResult> DistributeAsync(Lead lead, Niche niche, SubmitLeadResult answer, CancellationToken ct)
    {
        IReadOnlyList<Buying.SaleResult> sales;
        try
        {
            sales = await distributor.DistributeAsync(lead, niche, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lead is accepted and stays on sale in the catalog; distribution is an offer, not part of intake.
            db.ClearChangeTracker();
            logger.LogError(ex, "Distribution of lead {LeadId} failed; it stays in the catalog", lead.Id);
            return answer;
        }
        if (sales.Count == 0) return answer;
        var status = await db.Leads.AsNoTracking().Where(l => l.Id == lead.Id).Select(l => l.Status).FirstAsync(ct);
        var updated = answer with { Answer = answer.Answer with { Status = status == LeadStatus.Sold ? "sold" : "on_sale", SoldTo = sales.Count } };
        var json = JsonSerializer.Serialize(updated, Json);
        await db.Leads.Where(l => l.Id == lead.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.FirstAnswerJson, json), ct);
        return updated;
    }

    private string RequireWebmaster()
    {
        user.RequireRole(Roles.Webmaster);
        return user.RequireUserId();
    }

    private async Task<(LeadDraft Draft, Niche Niche, Click? Click)> ValidateAsync(SubmitLeadCommand request, string sellerId, string? key, DateTime now,
        CancellationToken ct)
    {
        var input = request.Input;
        var errors = new List<(string Field, string Message)>();
        var nicheCode = input.Niche?.Trim().ToLowerInvariant();
        var niche = string.IsNullOrEmpty(nicheCode) ? null : await db.Niches.AsNoTracking().FirstOrDefaultAsync(n => n.Code == nicheCode && n.IsActive, ct);
        if (niche is null) errors.Add(("niche", string.IsNullOrEmpty(nicheCode) ? "Niche is required." : $"Unknown niche '{Clip(nicheCode)}'."));
        var regionCode = input.Region?.Trim().ToUpperInvariant();
        var region = string.IsNullOrEmpty(regionCode) ? null : await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == regionCode && r.IsActive, ct);
        if (region is null) errors.Add(("region", string.IsNullOrEmpty(regionCode) ? "Region is required." : $"Unknown region '{Clip(regionCode)}'."));

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0) errors.Add(("name", "Name is required."));
        else if (name.Length > LeadContact.NameMaxLength) errors.Add(("name", $"Name is at most {LeadContact.NameMaxLength} characters."));

        ParsedPhone? phone = null;
        if (region is not null)
        {
            phone = LeadContact.ParsePhone(input.Phone, region.CountryCode, out var phoneError);
            if (phoneError is not null) errors.Add(("phone", phoneError));
            else if (phone!.CountryCode != region.CountryCode)
                errors.Add(("phone", $"The phone is from {phone.CountryCode} but the region {region.Code} is in {region.CountryCode}."));
        }
        else if (string.IsNullOrWhiteSpace(input.Phone)) errors.Add(("phone", "Phone is required."));
        var email = LeadContact.NormalizeEmail(input.Email, out var emailError);
        if (emailError is not null) errors.Add(("email", emailError));

        var consent = input.Consent;
        var consentText = consent?.Text?.Trim() ?? "";
        if (consent is null || consentText.Length == 0) errors.Add(("consent.text", "Consent is required: the text the person agreed to."));
        else if (consentText.Length > Lead.ConsentTextMaxLength) errors.Add(("consent.text", $"Consent text is at most {Lead.ConsentTextMaxLength} characters."));
        if (consent?.GivenAt is null) errors.Add(("consent.givenAt", "When consent was given is required (ISO-8601 UTC)."));
        else if (consent.GivenAt.Value.ToUniversalTime() > now.AddMinutes(5)) errors.Add(("consent.givenAt", "Consent cannot be given in the future."));
        var pageUrl = consent?.PageUrl?.Trim();
        if (!string.IsNullOrEmpty(pageUrl) && (pageUrl.Length > Lead.UrlMaxLength || !Uri.TryCreate(pageUrl, UriKind.Absolute, out var page)
            || (page.Scheme != Uri.UriSchemeHttp && page.Scheme != Uri.UriSchemeHttps)))
            errors.Add(("consent.pageUrl", "The consent page must be an absolute http(s) URL."));
        var consentIp = consent?.Ip?.Trim();
        if (!string.IsNullOrEmpty(consentIp) && !IPAddress.TryParse(consentIp, out _)) errors.Add(("consent.ip", "Not an IP address."));

        var subs = new[] { input.Sub1, input.Sub2, input.Sub3, input.Sub4, input.Sub5 };
        for (var i = 0; i < subs.Length; i++)
            if (subs[i] is { Length: > Click.SubMaxLength }) errors.Add(($"sub{i + 1}", $"sub{i + 1} is at most {Click.SubMaxLength} characters."));
        if (input.FormFillSeconds is < 0 or > 86_400) errors.Add(("formFillSeconds", "Fill time is 0 to 86400 seconds."));

        Dictionary<string, string> fields = [];
        if (niche is not null)
        {
            var (values, fieldErrors) = LeadFields.Check(niche.Fields, input.Fields);
            fields = values;
            errors.AddRange(fieldErrors);
        }

        // Source: a click id must be this seller's click; an offer must be one they were approved for.
        Click? click = null;
        var offerId = input.OfferId;
        if (!string.IsNullOrWhiteSpace(input.ClickId))
        {
            var clickId = input.ClickId.Trim();
            click = ClickId.IsWellFormed(clickId) ? await db.Clicks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clickId, ct) : null;
            if (click is null || click.WebmasterId != sellerId) errors.Add(("clickId", "No such click on your tracking links."));
            else if (offerId is not null && offerId != click.OfferId) errors.Add(("offerId", "The click belongs to another offer."));
            else offerId = click.OfferId;
        }
        else if (offerId is { } oid && !await db.OfferParticipations.AnyAsync(p => p.OfferId == oid && p.WebmasterId == sellerId
                     && p.Status == ParticipationStatus.Approved, ct))
            errors.Add(("offerId", "You are not approved for this offer."));

        if (errors.Count > 0) throw ValidationException.From(errors);

        var contact = JsonSerializer.Serialize(new { name, phone = phone!.E164, email });
        var draft = new LeadDraft(Guid.NewGuid(), sellerId, niche!.Code, region!.Code, request.Source, offerId, click?.Id, subs,
            name, phone, email, protector.Protect(contact), fields, consentText, consent!.GivenAt!.Value.ToUniversalTime(),
            string.IsNullOrEmpty(pageUrl) ? null : pageUrl, string.IsNullOrEmpty(consentIp) ? null : consentIp, request.SubmitIp,
            input.FormFillSeconds, FlagsFor(request), key is { Length: > 0 } ? key : null);
        return (draft, niche, click);
    }

    private List<string> FlagsFor(SubmitLeadCommand request) =>
        request.Source == LeadSource.Api && request.Input.FormFillSeconds is { } fill && fill < options.Value.MinFormFillSeconds ? ["fast_fill"] : [];

    private static string Clip(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string Name(Temperature t) => t.ToString().ToLowerInvariant();

    private List<string> ContactHashes(LeadDraft d)
    {
        var hashes = new List<string> { protector.Hash("phone:" + d.Phone.E164) };
        if (d.Email is not null) hashes.Add(protector.Hash("email:" + d.Email));
        return hashes;
    }

    private static ScoringFacts ScoringFactsFor(LeadDraft d, Niche niche, double? sellerReturnRate)
    {
        var optional = niche.Fields.Where(f => !f.Required).ToList();
        return new ScoringFacts(d.Phone.IsMobile, d.Email is not null, optional.Count(f => d.Fields.ContainsKey(f.Key)), optional.Count,
            d.ConsentPageUrl is not null && d.ConsentIp is not null, d.Fields.GetValueOrDefault("timeframe"),
            d.Fields.ContainsKey("budget") || d.Fields.ContainsKey("amount"), d.FormFillSeconds, sellerReturnRate);
    }

    private Task<Guid?> ActiveHolderAsync(string niche, string hash, DateTime now, CancellationToken ct) =>
        db.LeadDedupKeys.AsNoTracking().Where(k => k.NicheCode == niche && k.ContactHash == hash && k.ExpiresAt > now)
            .Select(k => (Guid?)k.LeadId).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The seller's own duplicate: 409 with their earlier lead's id. Another seller's: a neutral 422 <c>not_accepted</c> that names
    /// neither the other lead nor its seller (in credit or legal niches, that someone else sent this person is itself personal
    /// data); the record keeps <see cref="Lead.DuplicateOf"/> for moderators, and the seller sees the neutral reason.
    /// </summary>
    private async Task<SubmitLeadResult> DuplicateAsync(LeadDraft draft, Guid holder, CancellationToken ct)
    {
        var holderSeller = await db.Leads.AsNoTracking().Where(l => l.Id == holder).Select(l => l.SellerId).FirstOrDefaultAsync(ct);
        if (holderSeller != draft.SellerId)
        {
            var neutral = new SubmitLeadResult(422, new LeadAnswer(draft.Id, "rejected", null, null, null, 0, NotAccepted, null, "The lead was not accepted."));
            await RecordRejectedAsync(draft, "not accepted", holder, ct, neutral);
            return neutral;
        }
        var answer = new SubmitLeadResult(409, new LeadAnswer(holder, "rejected", null, null, null, 0, "duplicate", holder,
            "The same person was already submitted in this niche within the dedup window."));
        await RecordRejectedAsync(draft, "duplicate", holder, ct, answer);
        return answer;
    }

    /// <summary>The code of a refusal the exchange does not explain (another seller's duplicate).</summary>
    public const string NotAccepted = "not_accepted";

    private async Task<SubmitLeadResult> RejectAsync(LeadDraft draft, string code, string reason, Guid? duplicateOf, CancellationToken ct)
    {
        var answer = new SubmitLeadResult(422, new LeadAnswer(draft.Id, "rejected", null, null, null, 0, code, duplicateOf, "The lead was rejected: " + reason + "."));
        await RecordRejectedAsync(draft, reason, duplicateOf, ct, answer);
        return answer;
    }

    /// <summary>Rejected submissions are kept for the seller's quality record (and replayed for their Idempotency-Key).</summary>
    private async Task RecordRejectedAsync(LeadDraft draft, string reason, Guid? duplicateOf, CancellationToken ct, SubmitLeadResult? answer = null)
    {
        var rejected = Lead.Reject(draft, reason, duplicateOf, clock.UtcNow);
        if (answer is not null) rejected.RememberAnswer(JsonSerializer.Serialize(answer, Json));
        db.Leads.Add(rejected);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            // Only the record of a refusal: the answer stands even if it cannot be kept (e.g. a replayed key raced).
            logger.LogWarning(ex, "Could not record rejected lead of seller {SellerId}", draft.SellerId);
        }
        finally
        {
            db.ClearChangeTracker();
        }
    }

    private async Task<bool> TryReserveAsync(string key, TimeSpan ttl, CancellationToken ct)
    {
        try
        {
            return await dedup.TryReserveAsync(key, ttl, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Lead dedup fast path unavailable; relying on the database");
            return false;
        }
    }

    private async Task ReleaseAsync(IEnumerable<string> keys)
    {
        foreach (var k in keys)
        {
            try
            {
                await dedup.ReleaseAsync(k, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not free a lead dedup key; the database stays the truth");
            }
        }
    }

    /// <summary>A lead that came through a tracking link is also the offer's CPL conversion (txid = lead id, so a retry is a repeat).</summary>
    private async Task RecordCplConversionAsync(Lead lead, Click click, CancellationToken ct)
    {
        var offer = await db.Offers.AsNoTracking().Include(o => o.Goals).FirstOrDefaultAsync(o => o.Id == click.OfferId, ct);
        var goal = offer?.Goals.Where(g => g.Model == PayoutModel.Cpl).OrderByDescending(g => g.IsDefault).FirstOrDefault();
        if (offer is null || goal is null) return;
        var conversion = Conversion.Record(click, goal.Id, goal.Code, lead.Id.ToString("N"), offer.Currency, null,
            ConversionPayout.Compute(goal, null), ConversionStatus.Pending, [], offer.HoldDays, clock.UtcNow, lead.Id);
        var caps = new CapLimits(offer.Id, offer.DailyCap, offer.MonthlyCap, offer.WebmasterDailyCap, offer.WebmasterMonthlyCap);
        try
        {
            await uow.RunAsync(token => conversions.RecordAsync(conversion, caps, token), ct);
            await traffic.CountConversionAsync(conversion.OfferId, conversion.WebmasterId, conversion.CreatedAt, +1, ct);
        }
        catch (Exception ex) when (ex is DomainException or DuplicateConversionException)
        {
            // The lead stands on its own; the CPL payout is the offer's business (cap, advertiser balance).
            db.ClearChangeTracker();
            logger.LogWarning("Lead {LeadId} accepted but its CPL conversion was not recorded: {Reason}", lead.Id, ex.Message);
        }
    }
}

/// <summary>The same person is already held by another lead in this niche.</summary>
public sealed class DuplicateLeadException(Guid holderId) : Exception("Duplicate lead.")
{
    public Guid HolderId { get; } = holderId;
}
