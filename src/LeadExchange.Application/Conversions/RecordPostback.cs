using System.Diagnostics;
using System.Net;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Application.Conversions;

/// <summary>Section "Tracking:Postback".</summary>
public sealed class PostbackOptions
{
    public const string Section = "Tracking:Postback";

    /// <summary>
    /// A postback may arrive before its click left another node's write buffer: after flushing this node's
    /// buffer, an unknown click id is looked up once more after this wait.
    /// </summary>
    public int UnknownClickWaitMilliseconds { get; set; } = 400;
    /// <summary>How long the Redis fast-path key of a conversion lives; the database constraint holds forever.</summary>
    public int DedupKeyDays { get; set; } = 7;
    /// <summary>Lets outbound postbacks reach loopback and private addresses (tests, a tracker on the same network). Off by default.</summary>
    public bool AllowPrivateTargets { get; set; }
}

/// <summary>A postback or pixel call as the web layer received it (aliases not yet resolved).</summary>
public sealed record PostbackRequest(
    string Source, string Method, IReadOnlyList<KeyValuePair<string, string?>> Parameters, byte[] SignedBytes, string? Signature,
    IPAddress? RemoteIp, string QueryForLog);

/// <summary>The answer API.md documents: 200 ok (also for a duplicate), 4xx with a code otherwise.</summary>
public sealed record PostbackAnswer(int HttpStatus, string Result, string? Code, string? Message, Guid? ConversionId, string? Status,
    bool Duplicate, bool Test = false)
{
    public static PostbackAnswer Error(int httpStatus, string code, string message) => new(httpStatus, "error", code, message, null, null, false);

    public static PostbackAnswer Ok(Guid id, ConversionStatus status, bool duplicate) =>
        new(200, "ok", null, null, id, WebmasterPostbackMessages.StatusName(status), duplicate);
}

/// <summary>
/// POST/GET /postback and /pixel.gif. Order: parameters → token → IP allow-list → signature → click (the
/// advertiser's own) → goal → amount → fraud → record or repeat. Idempotency: a Redis SET NX on
/// (click, goal, txid) skips straight to the existing conversion for repeats; the unique index on the same
/// triple is the truth when two calls race past Redis (or Redis is down). Every call is logged.
/// </summary>
public sealed record RecordPostbackCommand(PostbackRequest Request) : IRequest<PostbackAnswer>;

public sealed class RecordPostbackHandler(
    IAppDbContext db, IUnitOfWork uow, IPostbackAuthCache auth, IDedupStore dedup, IClickQueue clicks, IIpBlocklist blocklist, ITrafficCounters traffic,
    ConversionLifecycle lifecycle, ConversionWriter writer, IPostbackLogSink log, IClock clock, IOptions<ConversionFraudOptions> fraudOptions,
    IOptions<PostbackOptions> options, IOptions<MoneyLimitsOptions> limits, ILogger<RecordPostbackHandler> logger)
    : IRequestHandler<RecordPostbackCommand, PostbackAnswer>
{
    public const string TestClickId = "test";

    public async Task<PostbackAnswer> Handle(RecordPostbackCommand command, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Telemetry.Source.StartActivity(Telemetry.Spans.Postback);
        var request = command.Request;
        var p = PostbackParameters.Parse(request.Parameters);
        span?.SetTag(Telemetry.Tags.ClickId, p.ClickId);
        string? advertiserId = null;
        PostbackAnswer answer;
        try
        {
            (answer, advertiserId) = await ProcessAsync(request, p, ct);
        }
        catch (DomainException ex)
        {
            answer = PostbackAnswer.Error(ex.Code == "cap_reached" ? 409 : ex.Code == "insufficient_funds" ? 402 : 422, ex.Code, ex.Message);
        }
        catch (ConflictException ex)
        {
            answer = PostbackAnswer.Error(409, ex.Code, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Answered 500 by the endpoint; counted here so an error rate needs no log search.
            Telemetry.PostbackHandled("error", null, started, span);
            throw;
        }
        log.Write(PostbackLogEntry.Record(advertiserId, answer.Test ? "test" : request.Source, request.Method, request.QueryForLog,
            request.RemoteIp?.ToString(), answer.HttpStatus, answer.Result == "ok" ? (answer.Duplicate ? "duplicate" : "ok") : answer.Code ?? "error",
            answer.Message, answer.ConversionId, p.ClickId, clock.UtcNow));
        span?.SetTag(Telemetry.Tags.ConversionId, answer.ConversionId);
        Telemetry.PostbackHandled(answer.Test ? "test" : answer.Result != "ok" ? "rejected" : answer.Duplicate ? "duplicate" : "recorded",
            answer.Result == "ok" ? null : answer.Code ?? "error", started, span);
        return answer;
    }

    private async Task<(PostbackAnswer, string?)> ProcessAsync(PostbackRequest request, PostbackParameters p, CancellationToken ct)
    {
        if (p.Errors.Count > 0)
        {
            var (code, field, message) = p.Errors[0];
            return (PostbackAnswer.Error(422, code, message), null);
        }
        if (string.IsNullOrEmpty(p.Token))
            return (PostbackAnswer.Error(403, "bad_token", "token is required (or security_token, verification_token, secure)."), null);
        var settings = await auth.FindByTokenAsync(p.Token, ct);
        if (settings is null)
            return (PostbackAnswer.Error(403, "bad_token", "The token matches no advertiser. Copy the postback URL from the offer's integration page."), null);
        var advertiserId = settings.AdvertiserId;
        if (!settings.IsIpAllowed(request.RemoteIp))
            return (PostbackAnswer.Error(403, "ip_not_allowed", $"Postbacks from {request.RemoteIp?.ToString() ?? "an unknown address"} are not on the allow-list."), advertiserId);
        if ((settings.RequireSignature || !string.IsNullOrEmpty(request.Signature))
            && !Signatures.Verify(settings.SigningSecret, request.Signature, request.SignedBytes))
            return (PostbackAnswer.Error(403, "bad_token", string.IsNullOrEmpty(request.Signature)
                ? "X-Signature is required: sha256=<hex HMAC-SHA256 of the query string or body with your signing secret>."
                : "X-Signature does not match the HMAC-SHA256 of the query string or body with your signing secret."), advertiserId);
        if (string.IsNullOrEmpty(p.ClickId))
            return (PostbackAnswer.Error(400, "unknown_click", "click_id is required (or clickid, transaction_id, subid, cid, cnv_id)."), advertiserId);
        if (p.ClickId == TestClickId)
            return (new PostbackAnswer(200, "ok", null, "Test postback received: the token, address and signature are accepted. No conversion was recorded.",
                null, null, false, Test: true), advertiserId);

        var click = await FindClickAsync(p.ClickId, advertiserId, ct);
        if (click is null)
            return (PostbackAnswer.Error(404, "unknown_click", $"No click '{p.ClickId}' on your offers."), advertiserId);
        var fraud = fraudOptions.Value;
        var now = clock.UtcNow;
        if (now - click.CreatedAt > TimeSpan.FromDays(fraud.ClickLifetimeDays))
            return (PostbackAnswer.Error(404, "unknown_click", $"Click '{p.ClickId}' expired: it is older than {fraud.ClickLifetimeDays} days."), advertiserId);

        Telemetry.CurrentSpan?.SetTag(Telemetry.Tags.OfferId, click.OfferId);
        var offer = await db.Offers.AsNoTracking().Include(o => o.Goals).FirstOrDefaultAsync(o => o.Id == click.OfferId, ct);
        if (offer is null) return (PostbackAnswer.Error(404, "unknown_click", $"No click '{p.ClickId}' on your offers."), advertiserId);
        var goal = p.Goal is null ? offer.DefaultGoal : offer.Goals.FirstOrDefault(g => g.Code == p.Goal);
        if (goal is null)
            return (PostbackAnswer.Error(422, "unknown_goal", $"The offer has no goal '{p.Goal}'. Goals: {string.Join(", ", offer.Goals.Select(g => g.Code))}."), advertiserId);

        var txKey = p.TxId ?? "";
        var (reserved, existing) = await FindRepeatAsync(click.Id, goal.Id, txKey, ct);
        if (existing is not null) return (await RepeatAsync(existing, p.Status, ct), advertiserId);
        try
        {
            return (await RecordNewAsync(click, offer, goal, p, now, ct), advertiserId);
        }
        catch (DuplicateConversionException)
        {
            // Another call recorded it between our look-up and our insert: answer as the repeat it is.
            var winner = await db.Conversions.AsNoTracking()
                .FirstAsync(c => c.ClickId == click.Id && c.GoalId == goal.Id && c.TxKey == txKey, ct);
            return (await RepeatAsync(winner, p.Status, ct), advertiserId);
        }
        catch
        {
            // Nothing was recorded: free the fast-path key so a corrected retry is not taken for a repeat.
            db.ClearChangeTracker();
            if (reserved) await ReleaseKeyAsync(DedupKey(click.Id, goal.Id, txKey));
            throw;
        }
    }

    private async Task<PostbackAnswer> RecordNewAsync(Click click, Offer offer, OfferGoal goal, PostbackParameters p, DateTime now, CancellationToken ct)
    {
        var currency = p.Currency ?? offer.Currency;
        if (currency != offer.Currency)
            throw new DomainException("bad_amount", $"currency must be the offer's currency, {offer.Currency}.", "currency");
        long? sale = null;
        if (p.Amount is { } amount)
        {
            // Reports sum sale amounts: one absurd amount would otherwise swamp (or overflow) every total it is in.
            var max = Currencies.ToMajor(limits.Value.MaxSaleAmount, currency);
            if (amount > max)
                throw new DomainException("bad_amount", $"amount is at most {max.ToString(System.Globalization.CultureInfo.InvariantCulture)} {currency}.", "amount");
            if (!Currencies.TryToMinor(amount, currency, out var minor))
                throw new DomainException("bad_amount", $"amount has more decimals than {currency} allows.", "amount");
            sale = minor;
        }
        var payout = ConversionPayout.Compute(goal, sale);

        var facts = await FraudFactsAsync(click, now, ct);
        if (ConversionFraud.Reject(facts) is { } reason)
            return PostbackAnswer.Error(403, "rejected_fraud", $"Refused: {ConversionFraud.Describe(reason)}.");
        var flags = ConversionFraud.Flags(facts, fraudOptions.Value);

        var conversion = Conversion.Record(click, goal.Id, goal.Code, p.TxId, currency, sale, payout, p.Status ?? ConversionStatus.Pending,
            flags, offer.HoldDays, now);
        var caps = new CapLimits(offer.Id, offer.DailyCap, offer.MonthlyCap, offer.WebmasterDailyCap, offer.WebmasterMonthlyCap);
        await lifecycle.EnsureCapCountersAsync(caps, click.WebmasterId, ct);
        // Committed with whatever else this node is recording right now (group commit), answered once stored.
        var recorded = await writer.RecordAsync(conversion, caps);
        if (recorded.Status != ConversionStatus.Rejected) await traffic.CountConversionAsync(recorded.OfferId, recorded.WebmasterId, recorded.CreatedAt, +1, ct);
        return PostbackAnswer.Ok(recorded.Id, recorded.Status, duplicate: false);
    }

    private string DedupKey(string clickId, Guid goalId, string txKey) => $"cv:{clickId}:{goalId:N}:{txKey}";

    private async Task ReleaseKeyAsync(string key)
    {
        try
        {
            await dedup.ReleaseAsync(key, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The key only skips work for repeats; a stale one sends a retry to the database, which answers correctly.
            logger.LogWarning(ex, "Could not free conversion dedup key");
        }
    }

    /// <summary>
    /// Fast path: the first call takes the Redis key and goes on to record; a later call finds the key taken
    /// and reads the existing conversion. If it is not committed yet (a race), the insert below meets the
    /// unique index, which waits for the winner and then reports the duplicate.
    /// </summary>
    private async Task<(bool Reserved, Conversion? Existing)> FindRepeatAsync(string clickId, Guid goalId, string txKey, CancellationToken ct)
    {
        bool first;
        try
        {
            first = await dedup.TryReserveAsync(DedupKey(clickId, goalId, txKey), TimeSpan.FromDays(options.Value.DedupKeyDays), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Conversion dedup fast path unavailable; relying on the database constraint");
            first = false;
        }
        if (first) return (true, null);
        return (false, await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.ClickId == clickId && c.GoalId == goalId && c.TxKey == txKey, ct));
    }

    private async Task<PostbackAnswer> RepeatAsync(Conversion existing, ConversionStatus? requested, CancellationToken ct)
    {
        if (requested is null || requested == existing.Status) return PostbackAnswer.Ok(existing.Id, existing.Status, duplicate: true);
        StatusChange change;
        try
        {
            change = await uow.RunAsync(token => lifecycle.ChangeStatusAsync(existing.Id, requested.Value, null, token), ct);
            if (change.Outcome == StatusChangeOutcome.Reject)
                await traffic.CountConversionAsync(existing.OfferId, existing.WebmasterId, existing.CreatedAt, -1, ct);
        }
        catch (ConflictException ex) when (ex.Code == "status_changed")
        {
            // Another copy of this postback (a tracker's resend, on this node or another) changed the status between our read and
            // our conditional update. If it set what we were asked to set, this call is its repeat.
            var now = await db.Conversions.AsNoTracking().Where(c => c.Id == existing.Id).Select(c => c.Status).FirstAsync(ct);
            if (now != requested) throw;
            return PostbackAnswer.Ok(existing.Id, now, duplicate: true);
        }
        return change.Outcome switch
        {
            StatusChangeOutcome.NoChange => PostbackAnswer.Ok(existing.Id, change.Status, duplicate: true),
            StatusChangeOutcome.Approve or StatusChangeOutcome.Reject => PostbackAnswer.Ok(existing.Id, change.Status, duplicate: false),
            StatusChangeOutcome.NotAllowed => PostbackAnswer.Error(409, "status_locked", $"A {existing.Status.ToString().ToLowerInvariant()} conversion cannot go back to pending."),
            _ => PostbackAnswer.Error(409, "status_locked", existing.Status == ConversionStatus.Rejected
                ? "The conversion was rejected; that is final."
                : "The hold period is over and the webmaster has been paid; the conversion can no longer be rejected."),
        };
    }

    /// <summary>The click, if it is on one of this advertiser's offers; waits out the click write buffer once.</summary>
    private async Task<Click?> FindClickAsync(string clickId, string advertiserId, CancellationToken ct)
    {
        if (!ClickId.IsWellFormed(clickId)) return null;
        var click = await db.Clicks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clickId, ct);
        if (click is null)
        {
            // Maybe still in this node's write buffer: write it now and look again.
            await clicks.FlushAsync(ct);
            click = await db.Clicks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clickId, ct);
        }
        if (click is null && options.Value.UnknownClickWaitMilliseconds > 0)
        {
            await Task.Delay(options.Value.UnknownClickWaitMilliseconds, ct);
            click = await db.Clicks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clickId, ct);
        }
        return click is not null && click.AdvertiserId == advertiserId ? click : null;
    }

    /// <summary>
    /// What the fraud rules need, at a cost that does not grow with the webmaster's traffic: the last 24 hours' clicks and
    /// conversions from the hourly counters (one round trip; the hourly rollups when Redis is away), an index seek for an
    /// earlier conversion from the same address (it stops at the first one of another click), the blocklist from memory.
    /// </summary>
    private async Task<ConversionFraudFacts> FraudFactsAsync(Click click, DateTime now, CancellationToken ct)
    {
        var ipSince = now.AddHours(-fraudOptions.Value.DuplicateIpWindowHours);
        var recent = await traffic.RecentAsync(click.OfferId, click.WebmasterId, now, ct) ?? await RecentFromRollupsAsync(click, now, ct);
        var sameIp = click.Ip != Click.UnknownIp && await db.Conversions.AnyAsync(c => c.OfferId == click.OfferId && c.ClickIp == click.Ip
            && c.CreatedAt >= ipSince && c.ClickId != click.Id, ct);
        var blocked = await blocklist.IsBlockedAsync(click.Ip, ct);
        return new ConversionFraudFacts(now - click.CreatedAt, click.FraudFlags is not null, blocked, Clamp(recent.Clicks), Clamp(recent.Conversions), sameIp);
    }

    private static int Clamp(long n) => (int)Math.Min(int.MaxValue, n);

    /// <summary>The fallback: the webmaster's rollup rows of the offer for the last 24 hours (at most 25 hours × goals × regions rows).</summary>
    private async Task<RecentTraffic> RecentFromRollupsAsync(Click click, DateTime now, CancellationToken ct)
    {
        var since = Domain.Reports.ReportRollup.HourOf(now.AddHours(-24));
        var rows = await db.ReportRollups.AsNoTracking()
            .Where(r => r.WebmasterId == click.WebmasterId && r.SubSlot == 0 && r.HourUtc >= since && r.AdvertiserId == "" && r.OfferId == click.OfferId)
            .Select(r => new { r.Counters.Clicks, Conversions = r.Counters.ConversionsApproved + r.Counters.ConversionsPending })
            .ToListAsync(ct);
        return new RecentTraffic(rows.Sum(r => r.Clicks), rows.Sum(r => r.Conversions));
    }
}

/// <summary>
/// A status change by the advertiser in the app, or a moderator (fraud review); the advertiser's postback changes a
/// status through <see cref="RecordPostbackHandler"/> (its token is the check). Ownership is checked here.
/// </summary>
public sealed record ChangeConversionStatusCommand(Guid ConversionId, ConversionStatus Status, string? Note) : IRequest<StatusChange>;

public sealed class ChangeConversionStatusHandler(IAppDbContext db, IUnitOfWork uow, ICurrentUser user, ConversionLifecycle lifecycle, ITrafficCounters traffic,
    Audit.IAuditLog audit)
    : IRequestHandler<ChangeConversionStatusCommand, StatusChange>
{
    public async Task<StatusChange> Handle(ChangeConversionStatusCommand request, CancellationToken ct)
    {
        // The offer's advertiser, or staff reviewing a flagged conversion; a webmaster never changes a status.
        user.RequireRole(Domain.Identity.Roles.Advertiser, Domain.Identity.Roles.Moderator, Domain.Identity.Roles.Admin);
        var userId = user.RequireUserId();
        var conversion = await db.Conversions.AsNoTracking().Where(c => c.Id == request.ConversionId)
            .Select(c => new { c.AdvertiserId, c.OfferId, c.WebmasterId, c.CreatedAt }).FirstOrDefaultAsync(ct);
        var owner = conversion?.AdvertiserId;
        var allowed = owner is not null && (owner == userId || user.IsInRole(Domain.Identity.Roles.Moderator) || user.IsInRole(Domain.Identity.Roles.Admin));
        if (!allowed) throw new NotFoundException("Conversion");
        if (request.Status == ConversionStatus.Pending)
            throw new ValidationException("status", "Choose approved or rejected.");

        var change = await uow.RunAsync(async token =>
        {
            var before = await db.Conversions.AsNoTracking().Where(c => c.Id == request.ConversionId).Select(c => c.Status).FirstAsync(token);
            var changed = await lifecycle.ChangeStatusAsync(request.ConversionId, request.Status, request.Note, token);
            // Only a change that happened is audited: a repeat, a refusal or a final status records nothing.
            if (changed.Outcome is StatusChangeOutcome.Approve or StatusChangeOutcome.Reject)
                await audit.AddAsync(Audit.AuditActions.ConversionStatusChanged, Audit.AuditTargets.Conversion, request.ConversionId.ToString(),
                    new { status = before.ToString() }, new { status = changed.Status.ToString(), note = request.Note?.Trim() }, token);
            return changed;
        }, ct);
        if (change.Outcome == StatusChangeOutcome.Reject)
            await traffic.CountConversionAsync(conversion!.OfferId, conversion.WebmasterId, conversion.CreatedAt, -1, ct);
        // People get a clear refusal; the postback path turns these outcomes into its own answer codes.
        if (change.Outcome is StatusChangeOutcome.Final or StatusChangeOutcome.NotAllowed)
            throw new ConflictException("status_locked", change.Status == ConversionStatus.Rejected
                ? "The conversion was rejected; that is final."
                : "The hold period is over and the webmaster has been paid; the conversion can no longer be rejected.");
        return change;
    }
}
