using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Identity;
using LeadExchange.Infrastructure.Identity;
using LeadExchange.Infrastructure.Persistence.Seed;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// Two-factor sign-in: the sign-in's second step (authenticator code or recovery code) and the person's own settings
/// (turn on with a QR code, new recovery codes, turn off). Admins and moderators cannot turn it off, and until it is on
/// every other page sends them here (RequireTwoFactorSetupFilter).
/// </summary>
[Route("account")]
[Authorize]
[AllowWithoutTwoFactor]
public sealed class TwoFactorController(IMediator mediator, SignInManager<ApplicationUser> signIn, IOptions<DemoOptions> demo, TimeProvider time)
    : UiController(mediator)
{
    [HttpGet("login/2fa")]
    [AllowAnonymous]
    public async Task<IActionResult> LoginWithCode(string? returnUrl, bool rememberMe)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return View("SignInExpired", returnUrl);
        ViewData["DemoCode"] = await DemoCodeAsync(user);
        return View(new TwoFactorLoginModel { ReturnUrl = returnUrl, RememberMe = rememberMe });
    }

    [HttpPost("login/2fa")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Auth)]
    public async Task<IActionResult> LoginWithCode(TwoFactorLoginModel model)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return SignInExpired(model.ReturnUrl);
        if (ModelState.IsValid)
        {
            var result = await signIn.TwoFactorAuthenticatorSignInAsync(model.Code!, model.RememberMe, model.RememberMachine);
            if (result.Succeeded) return Redirect(Url.LocalOr(model.ReturnUrl, "/"));
            ModelState.AddModelError(nameof(model.Code), L[result.IsLockedOut
                ? "Too many failed attempts: the account is locked for a few minutes."
                : TwoFactorMessages.WrongCode]);
        }
        ViewData["DemoCode"] = await DemoCodeAsync(user);
        return View(model);
    }

    [HttpGet("login/recovery")]
    [AllowAnonymous]
    public async Task<IActionResult> LoginWithRecoveryCode(string? returnUrl) =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? View("SignInExpired", returnUrl)
            : View(new RecoveryCodeLoginModel { ReturnUrl = returnUrl });

    /// <summary>A recovery code works once; it signs in for this session only (never "remember this browser").</summary>
    [HttpPost("login/recovery")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Auth)]
    public async Task<IActionResult> LoginWithRecoveryCode(RecoveryCodeLoginModel model)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return SignInExpired(model.ReturnUrl);
        if (!ModelState.IsValid) return View(model);
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(model.RecoveryCode!);
        if (result.Succeeded)
        {
            Notice(L["Signed in with a recovery code. Each code works once: make new ones on the Two-factor sign-in page when few are left."]);
            return Redirect(Url.LocalOr(model.ReturnUrl, "/"));
        }
        ModelState.AddModelError(nameof(model.RecoveryCode), L[result.IsLockedOut
            ? "Too many failed attempts: the account is locked for a few minutes."
            : "This recovery code is wrong or was already used."]);
        return View(model);
    }

    [HttpGet("2fa")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(new TwoFactorCodeModel(), ct));

    /// <summary>Turns two-factor on and shows the ten recovery codes, once (the page is not cached).</summary>
    [HttpPost("2fa/enable")]
    public Task<IActionResult> Enable([Bind(Prefix = "Form")] TwoFactorCodeModel form, CancellationToken ct) =>
        RecoveryCodesAsync(new EnableTwoFactorCommand(form.Code ?? ""), form, refreshSignIn: true,
            "Two-factor sign-in is on. From now on you sign in with your password and a code from the app.", ct);

    [HttpPost("2fa/recovery-codes")]
    public Task<IActionResult> NewRecoveryCodes([Bind(Prefix = "Form")] TwoFactorCodeModel form, CancellationToken ct) =>
        RecoveryCodesAsync(new ResetRecoveryCodesCommand(form.Code ?? ""), form, refreshSignIn: false,
            "New recovery codes made: the old ones no longer work.", ct);

    [HttpPost("2fa/disable")]
    public async Task<IActionResult> Disable([Bind(Prefix = "Form")] TwoFactorCodeModel form, CancellationToken ct)
    {
        try
        {
            await Mediator.Send(new DisableTwoFactorCommand(form.Code ?? ""), ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "Form");
            return View(nameof(Index), await PageAsync(form, ct));
        }
        await RefreshSignInAsync();
        Notice(L["Two-factor sign-in is off."]);
        return RedirectToAction(nameof(Index));
    }

    /// <summary>Runs a command that answers new recovery codes and shows them once (not cached); a wrong code goes back to the form.</summary>
    private async Task<IActionResult> RecoveryCodesAsync(IRequest<IReadOnlyList<string>> command, TwoFactorCodeModel form, bool refreshSignIn,
        string notice, CancellationToken ct)
    {
        IReadOnlyList<string> codes;
        try
        {
            codes = await Mediator.Send(command, ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "Form");
            return View(nameof(Index), await PageAsync(form, ct));
        }
        if (refreshSignIn) await RefreshSignInAsync();
        Notice(L[notice]);
        Response.Headers.CacheControl = "no-store";
        return View("RecoveryCodes", codes);
    }

    private async Task<TwoFactorPage> PageAsync(TwoFactorCodeModel form, CancellationToken ct)
    {
        var status = await Mediator.Send(new GetTwoFactorStatusQuery(), ct);
        if (status.Enabled) return new TwoFactorPage(status, null, null, form);
        var setup = await Mediator.Send(new GetAuthenticatorSetupCommand(), ct);
        return new TwoFactorPage(status, setup, QrCode.PngDataUri(setup.AuthenticatorUri), form);
    }

    /// <summary>Turning two-factor on or off changes the security stamp: this session gets a cookie with the new stamp (and flag).</summary>
    private async Task RefreshSignInAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user) await signIn.RefreshSignInAsync(user);
    }

    private RedirectToActionResult SignInExpired(string? returnUrl)
    {
        Error(L["The sign-in took too long: enter your password again."]);
        return RedirectToAction(nameof(AccountController.Login), "Account", new { returnUrl });
    }

    /// <summary>
    /// Demo mode only, for the seeded demo admin and moderator (their secret is public like their password): the code the
    /// app would show now, or the next one when the current was used (a code is accepted once). Null for everyone else.
    /// </summary>
    private async Task<string?> DemoCodeAsync(ApplicationUser user)
    {
        if (!demo.Value.Enabled || !DatabaseInitializer.DemoAccounts.Any(a => string.Equals(a.Email, user.Email, StringComparison.OrdinalIgnoreCase)))
            return null;
        var users = signIn.UserManager;
        if (await users.GetAuthenticatorKeyAsync(user) != DemoOptions.AuthenticatorKey) return null;
        var last = await OnceOnlyAuthenticatorTokenProvider.LastStepAsync(users, user);
        var now = Totp.StepAt(time.GetUtcNow());
        var step = Math.Max(now, last + 1);
        return step <= now + 1 ? Totp.Code(DemoOptions.AuthenticatorKey, step) : null;
    }
}
