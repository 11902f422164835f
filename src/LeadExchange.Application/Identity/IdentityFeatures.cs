using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Identity;

public sealed record RegisterResult(string UserId, string ApiKey);

/// <summary>Self-service sign-up as advertiser or webmaster; answers the account's first API key (shown once).</summary>
public sealed record RegisterCommand(string Email, string Password, string Role, string DisplayName) : IRequest<RegisterResult>
{
    public override string ToString() => $"{nameof(RegisterCommand)} {{ Email = {Email}, Role = {Role}, Password = *** }}";
}

public sealed class RegisterValidator : IValidator<RegisterCommand>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(RegisterCommand request, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Email("Email", request.Email)
            .ShownName("DisplayName", request.DisplayName, 100, "Display name");
        // The same rules Identity enforces (DependencyInjection.cs), checked here so every error shows at once.
        if (string.IsNullOrEmpty(request.Password)) errors.Add("Password", "Password is required.");
        else if (PasswordRules.IsTooLong(request.Password)) errors.Add("Password", PasswordRules.TooLongMessage);
        else if (request.Password.Length < 8 || !request.Password.Any(char.IsDigit) || !request.Password.Any(char.IsUpper) || !request.Password.Any(char.IsLower))
            errors.Add("Password", "Password needs at least 8 characters with an upper-case letter, a lower-case letter and a digit.");
        var role = Roles.Normalize(request.Role);
        if (role is null || !Roles.SelfService.Contains(role))
            errors.Add("Role", "Role must be 'advertiser' or 'webmaster'.");
        return Task.FromResult(errors.Errors);
    }
}

public sealed class RegisterHandler(IUnitOfWork uow, IIdentityService identity, IAppDbContext db, IClock clock) : IRequestHandler<RegisterCommand, RegisterResult>
{
    public Task<RegisterResult> Handle(RegisterCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<RegisterResult> ExecuteAsync(RegisterCommand request, CancellationToken cancellationToken)
    {
        var userId = await identity.CreateUserAsync(request.Email.Trim(), request.Password, request.DisplayName.Trim(),
            Roles.Normalize(request.Role)!, cancellationToken);
        var (key, plain) = ApiKey.Create(userId, "Default", clock.UtcNow);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new RegisterResult(userId, plain);
    }
}

/// <summary>A new API key for an existing account, proven by its password (how moderators and admins get one).</summary>
/// <summary>
/// No unit of work on purpose: a wrong password's failure count (Identity lockout) must be saved although the request
/// fails. Inside a transaction it would roll back with the refusal, so guessing passwords here would never lock an
/// account. The key itself is one SaveChanges.
/// </summary>
public sealed record CreateKeyWithPasswordCommand(string Email, string Password, string Name, string? TwoFactorCode = null) : IRequest<CreatedApiKeyDto>
{
    public override string ToString() => $"{nameof(CreateKeyWithPasswordCommand)} {{ Email = {Email}, Name = {Name}, Password = ***, TwoFactorCode = *** }}";
}

/// <summary>An over-long password is refused before any hash is computed (and without counting as a failed attempt).</summary>
public sealed class CreateKeyWithPasswordValidator : IValidator<CreateKeyWithPasswordCommand>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(CreateKeyWithPasswordCommand request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (PasswordRules.IsTooLong(request.Password)) errors.Add("Password", PasswordRules.TooLongMessage);
        return Task.FromResult(errors.Errors);
    }
}

/// <summary>
/// An account with two-factor sign-in also proves its second factor (<c>twoFactorCode</c>: the authenticator's current code
/// or a recovery code); an admin or moderator without two-factor gets no key at all (403 until they turn it on).
/// </summary>
public sealed class CreateKeyWithPasswordHandler(IIdentityService identity, ITwoFactorService twoFactor, IAppDbContext db, IClock clock)
    : IRequestHandler<CreateKeyWithPasswordCommand, CreatedApiKeyDto>
{
    public async Task<CreatedApiKeyDto> Handle(CreateKeyWithPasswordCommand request, CancellationToken cancellationToken)
    {
        ApiKeyNames.Validate(request.Name);
        var userId = await identity.CheckPasswordAsync(request.Email ?? "", request.Password ?? "", cancellationToken)
                     ?? throw new AuthenticationFailedException();
        switch (await twoFactor.CheckForNewKeyAsync(userId, request.TwoFactorCode, cancellationToken))
        {
            case SecondFactorCheck.Missing: throw new ValidationException("TwoFactorCode", TwoFactorMessages.CodeMissing);
            case SecondFactorCheck.SetupRequired: throw new ForbiddenException(TwoFactorMessages.SetupFirst);
            case SecondFactorCheck.Wrong: throw new AuthenticationFailedException();
        }
        return await ApiKeyNames.IssueAsync(db, userId, request.Name, clock.UtcNow, cancellationToken);
    }
}

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record CreatedApiKeyDto(Guid Id, string Name, string Prefix, DateTime CreatedAt, string ApiKey);

public sealed record CreateApiKeyCommand(string Name) : IRequest<CreatedApiKeyDto>;

public sealed class CreateApiKeyHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public Task<CreatedApiKeyDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private Task<CreatedApiKeyDto> ExecuteAsync(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        ApiKeyNames.Validate(request.Name);
        return ApiKeyNames.IssueAsync(db, user.RequireUserId(), request.Name, clock.UtcNow, cancellationToken);
    }
}

public sealed record ListApiKeysQuery : IRequest<IReadOnlyList<ApiKeyDto>>;

public sealed class ListApiKeysHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        return await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId)
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }
}

public sealed record RevokeApiKeyCommand(Guid Id) : IRequest<Unit>;

public sealed class RevokeApiKeyHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<RevokeApiKeyCommand, Unit>
{
    public Task<Unit> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Unit> ExecuteAsync(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == request.Id && k.UserId == userId, cancellationToken)
                  ?? throw new NotFoundException("API key");
        key.Revoke(clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

internal static class ApiKeyNames
{
    public const int MaxActiveKeys = 20;

    public static void Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 60)
            throw new ValidationException("Name", "Key name is required (at most 60 characters).");
    }

    public static async Task<CreatedApiKeyDto> IssueAsync(IAppDbContext db, string userId, string name, DateTime now, CancellationToken ct)
    {
        if (await db.ApiKeys.CountAsync(k => k.UserId == userId && k.RevokedAt == null, ct) >= MaxActiveKeys)
            throw new ConflictException("too_many_keys", $"At most {MaxActiveKeys} active keys; revoke one first.");
        var (key, plain) = ApiKey.Create(userId, name, now);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKeyDto(key.Id, key.Name, key.Prefix, key.CreatedAt, plain);
    }
}

public sealed record ListUsersQuery(string? Search = null, string? Role = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<UserSummary>>;

public sealed class ListUsersHandler(IIdentityService identity, ICurrentUser user) : IRequestHandler<ListUsersQuery, PagedResult<UserSummary>>
{
    public Task<PagedResult<UserSummary>> Handle(ListUsersQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        return identity.ListAsync(request.Search, Roles.Normalize(request.Role), page, size, cancellationToken);
    }
}

/// <summary>An admin grants or removes Moderator/Admin. An admin cannot remove their own Admin role.</summary>
public sealed record SetUserRoleCommand(string UserId, string Role, bool Granted) : IRequest<Unit>;

public sealed class SetUserRoleHandler(IUnitOfWork uow, IIdentityService identity, ICurrentUser user, IAuditLog audit) : IRequestHandler<SetUserRoleCommand, Unit>
{
    public Task<Unit> Handle(SetUserRoleCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Unit> ExecuteAsync(SetUserRoleCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var role = Roles.Normalize(request.Role);
        if (role is not (Roles.Moderator or Roles.Admin))
            throw new ValidationException("Role", "Only Moderator and Admin are granted by an admin.");
        if (!request.Granted && role == Roles.Admin && request.UserId == user.UserId)
            throw new ConflictException("self_demotion", "You cannot remove your own Admin role.");
        var target = await identity.FindByIdAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User");
        await identity.SetRoleAsync(request.UserId, role, request.Granted, cancellationToken);
        var had = target.Roles.Contains(role);
        if (had != request.Granted)
            await audit.AddAsync(request.Granted ? AuditActions.RoleGranted : AuditActions.RoleRevoked, AuditTargets.User, target.Id,
                new { role, granted = had }, new { role, granted = request.Granted }, cancellationToken);
        return Unit.Value;
    }
}

public sealed record UpdateProfileCommand(string DisplayName, string TimeZone, string Culture) : IRequest<Unit>;

public sealed class UpdateProfileValidator : IValidator<UpdateProfileCommand>
{
    public static readonly IReadOnlyList<string> Cultures = ["en", "ru"];

    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(UpdateProfileCommand request, CancellationToken ct)
    {
        var errors = new ValidationErrors().ShownName("DisplayName", request.DisplayName, 100, "Display name");
        if (string.IsNullOrWhiteSpace(request.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
            errors.Add("TimeZone", "Choose a known time zone (IANA id, e.g. Europe/Moscow).");
        if (!Cultures.Contains(request.Culture))
            errors.Add("Culture", "Language must be 'en' or 'ru'.");
        return Task.FromResult(errors.Errors);
    }
}

public sealed class UpdateProfileHandler(IUnitOfWork uow, IIdentityService identity, ICurrentUser user) : IRequestHandler<UpdateProfileCommand, Unit>
{
    public Task<Unit> Handle(UpdateProfileCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Unit> ExecuteAsync(UpdateProfileCommand request, CancellationToken cancellationToken)
    {
        await identity.UpdateProfileAsync(user.RequireUserId(), request.DisplayName.Trim(), request.TimeZone, request.Culture, cancellationToken);
        return Unit.Value;
    }
}

/// <summary>The caller's own account: email, display name, roles, time zone, language.</summary>
public sealed record GetProfileQuery : IRequest<UserSummary>;

public sealed class GetProfileHandler(IIdentityService identity, ICurrentUser user) : IRequestHandler<GetProfileQuery, UserSummary>
{
    public async Task<UserSummary> Handle(GetProfileQuery request, CancellationToken cancellationToken) =>
        await identity.FindByIdAsync(user.RequireUserId(), cancellationToken) ?? throw new NotFoundException("User");
}
