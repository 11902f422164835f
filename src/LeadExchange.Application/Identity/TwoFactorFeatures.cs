using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using MediatR;

namespace LeadExchange.Application.Identity;

/// <summary>Messages of the two-factor use cases (the UI translates them; the API sends them as they are).</summary>
public static class TwoFactorMessages
{
    public const string WrongCode = "The code is wrong or already used: type the current six digits from your authenticator app.";
    public const string KeepOn = "Admins and moderators keep two-factor sign-in on.";
    public const string CodeMissing = "This account signs in with two factors: send the current code from its authenticator app (or a recovery code) in twoFactorCode.";
    public const string SetupFirst = "Admins and moderators need two-factor sign-in: turn it on in the browser (Account, Two-factor sign-in), then ask for a key with a code.";
}

/// <summary>The signed-in person's two-factor state: on or off, whether their role needs it, recovery codes left.</summary>
public sealed record GetTwoFactorStatusQuery : IRequest<TwoFactorStatus>;

public sealed class GetTwoFactorStatusHandler(ITwoFactorService twoFactor, ICurrentUser user) : IRequestHandler<GetTwoFactorStatusQuery, TwoFactorStatus>
{
    public Task<TwoFactorStatus> Handle(GetTwoFactorStatusQuery request, CancellationToken cancellationToken) =>
        twoFactor.GetStatusAsync(user.RequireUserId(), cancellationToken);
}

/// <summary>The secret for the authenticator app (created on first call); refused while two-factor is on.</summary>
public sealed record GetAuthenticatorSetupCommand : IRequest<AuthenticatorSetup>;

public sealed class GetAuthenticatorSetupHandler(IUnitOfWork uow, ITwoFactorService twoFactor, ICurrentUser user)
    : IRequestHandler<GetAuthenticatorSetupCommand, AuthenticatorSetup>
{
    public Task<AuthenticatorSetup> Handle(GetAuthenticatorSetupCommand request, CancellationToken cancellationToken) =>
        uow.RunAsync(async token =>
        {
            var userId = user.RequireUserId();
            if ((await twoFactor.GetStatusAsync(userId, token)).Enabled)
                throw new ConflictException("two_factor_on", "Two-factor sign-in is already on: turn it off first to move it to another app.");
            return await twoFactor.GetSetupAsync(userId, token);
        }, cancellationToken);
}

/// <summary>Turns two-factor on with the app's current code; answers the ten recovery codes, shown once.</summary>
public sealed record EnableTwoFactorCommand(string Code) : IRequest<IReadOnlyList<string>>;

public sealed class EnableTwoFactorHandler(IUnitOfWork uow, ITwoFactorService twoFactor, ICurrentUser user, IAuditLog audit)
    : IRequestHandler<EnableTwoFactorCommand, IReadOnlyList<string>>
{
    public Task<IReadOnlyList<string>> Handle(EnableTwoFactorCommand request, CancellationToken cancellationToken) =>
        uow.RunAsync(async token =>
        {
            var userId = user.RequireUserId();
            if ((await twoFactor.GetStatusAsync(userId, token)).Enabled)
                throw new ConflictException("two_factor_on", "Two-factor sign-in is already on.");
            var codes = await twoFactor.EnableAsync(userId, request.Code ?? "", token)
                        ?? throw new ValidationException("Code", TwoFactorMessages.WrongCode);
            await audit.AddAsync(AuditActions.TwoFactorEnabled, AuditTargets.User, userId, new { twoFactor = false }, new { twoFactor = true }, token);
            return codes;
        }, cancellationToken);
}

/// <summary>Turns two-factor off (advertisers and webmasters only) with a current code or a recovery code.</summary>
public sealed record DisableTwoFactorCommand(string Code) : IRequest<Unit>;

public sealed class DisableTwoFactorHandler(IUnitOfWork uow, ITwoFactorService twoFactor, ICurrentUser user, IAuditLog audit)
    : IRequestHandler<DisableTwoFactorCommand, Unit>
{
    public Task<Unit> Handle(DisableTwoFactorCommand request, CancellationToken cancellationToken) =>
        uow.RunAsync(async token =>
        {
            var userId = user.RequireUserId();
            if (Roles.NeedTwoFactor.Any(user.IsInRole))
                throw new ConflictException("two_factor_required", TwoFactorMessages.KeepOn);
            if (!(await twoFactor.GetStatusAsync(userId, token)).Enabled)
                throw new ConflictException("two_factor_off", "Two-factor sign-in is already off.");
            if (!await twoFactor.DisableAsync(userId, request.Code ?? "", token))
                throw new ValidationException("Code", TwoFactorMessages.WrongCode);
            await audit.AddAsync(AuditActions.TwoFactorDisabled, AuditTargets.User, userId, new { twoFactor = true }, new { twoFactor = false }, token);
            return Unit.Value;
        }, cancellationToken);
}

/// <summary>Ten new recovery codes for a current code; the old ones stop working.</summary>
public sealed record ResetRecoveryCodesCommand(string Code) : IRequest<IReadOnlyList<string>>;

public sealed class ResetRecoveryCodesHandler(IUnitOfWork uow, ITwoFactorService twoFactor, ICurrentUser user, IAuditLog audit)
    : IRequestHandler<ResetRecoveryCodesCommand, IReadOnlyList<string>>
{
    public Task<IReadOnlyList<string>> Handle(ResetRecoveryCodesCommand request, CancellationToken cancellationToken) =>
        uow.RunAsync(async token =>
        {
            var userId = user.RequireUserId();
            if (!(await twoFactor.GetStatusAsync(userId, token)).Enabled)
                throw new ConflictException("two_factor_off", "Turn two-factor sign-in on first.");
            var codes = await twoFactor.ResetRecoveryCodesAsync(userId, request.Code ?? "", token)
                        ?? throw new ValidationException("Code", TwoFactorMessages.WrongCode);
            await audit.AddAsync(AuditActions.RecoveryCodesReset, AuditTargets.User, userId, null, new { recoveryCodes = codes.Count }, token);
            return codes;
        }, cancellationToken);
}
