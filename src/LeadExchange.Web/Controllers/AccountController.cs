using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Identity;
using LeadExchange.Infrastructure.Identity;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Infrastructure.Localization;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadExchange.Web.Controllers;

/// <summary>Sign-in, sign-up, profile and API keys of the signed-in person.</summary>
[Route("account")]
[Authorize]
public sealed class AccountController(IMediator mediator, SignInManager<ApplicationUser> signIn) : UiController(mediator)
{
    [HttpGet("login")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginModel { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Auth)]
    public async Task<IActionResult> Login(LoginModel model)
    {
        if (!ModelState.IsValid) return View(model);
        var result = await signIn.PasswordSignInAsync(model.Email!.Trim(), model.Password!, model.RememberMe, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
            return RedirectToAction(nameof(TwoFactorController.LoginWithCode), "TwoFactor", new { returnUrl = model.ReturnUrl, rememberMe = model.RememberMe });
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", L[result.IsLockedOut
                ? "Too many failed attempts: the account is locked for a few minutes."
                : "Email or password is wrong."]);
            return View(model);
        }
        return Redirect(Url.LocalOr(model.ReturnUrl, "/"));
    }

    [HttpGet("register")]
    [AllowAnonymous]
    public IActionResult Register(string? role) => View(new RegisterModel { Role = role == "webmaster" ? "webmaster" : "advertiser" });

    [HttpPost("register")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Auth)]
    public async Task<IActionResult> Register(RegisterModel model, CancellationToken ct)
    {
        RegisterResult registered;
        try
        {
            registered = await Mediator.Send(new RegisterCommand(model.Email ?? "", model.Password ?? "", model.Role ?? "", model.DisplayName ?? ""), ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
            return View(model);
        }
        var user = await signIn.UserManager.FindByIdAsync(registered.UserId)
                   ?? throw new InvalidOperationException("The new account vanished before sign-in.");
        await signIn.SignInAsync(user, isPersistent: false);
        Notice(L["Welcome to LeadExchange, {0}! Below is your first API key; it is shown only now.", user.DisplayName]);
        TempData[NewApiKeyKey] = registered.ApiKey;
        return Redirect("/");
    }

    /// <summary>
    /// Ends the session on the server too: a new security stamp makes every copy of this cookie (and the person's other
    /// sessions) fail the stamp check from the next request on, so a copied cookie cannot outlive the sign-out.
    /// </summary>
    [HttpPost("logout")]
    [AllowWithoutTwoFactor]
    public async Task<IActionResult> Logout([FromServices] ILogger<AccountController> logger)
    {
        try
        {
            if (await signIn.UserManager.GetUserAsync(User) is { } user)
                await signIn.UserManager.UpdateSecurityStampAsync(user);
        }
        catch (Exception ex) when (LeadExchange.Infrastructure.Persistence.DatabaseFailures.IsUnavailable(ex))
        {
            // Signing out of this browser must still work; other copies of the cookie live on until the stamp changes.
            logger.LogWarning("Sign-out without a new security stamp: the database is unavailable");
        }
        await signIn.SignOutAsync();
        Notice(L["You are signed out."]);
        return Redirect("/");
    }

    [HttpGet("denied")]
    [AllowAnonymous]
    [AllowWithoutTwoFactor]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("profile")]
    public async Task<IActionResult> Profile()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null) return Challenge();
        return View(new ProfileModel { Email = user.Email ?? "", DisplayName = user.DisplayName, TimeZone = user.TimeZone, Culture = user.Culture });
    }

    [HttpPost("profile")]
    public async Task<IActionResult> Profile(ProfileModel model, CancellationToken ct)
    {
        try
        {
            await Mediator.Send(new UpdateProfileCommand(model.DisplayName ?? "", model.TimeZone ?? "", model.Culture ?? ""), ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
            model.Email = User.Identity?.Name ?? "";
            return View(model);
        }
        // The language is a claim of the sign-in cookie (and the anonymous cookie after sign-out): both follow now.
        await signIn.RefreshSignInAsync(User);
        UiLocalization.WriteCookie(Response, model.Culture!);
        Notice(L["Profile saved."]);
        return RedirectToAction(nameof(Profile));
    }

    [HttpGet("apikeys")]
    public async Task<IActionResult> ApiKeys(CancellationToken ct) =>
        View(new ApiKeysPage(await Mediator.Send(new ListApiKeysQuery(), ct), new NewApiKeyModel()));

    /// <summary>Creates a key and shows it once, on the next page only (one-shot TempData).</summary>
    [HttpPost("apikeys")]
    public async Task<IActionResult> CreateApiKey([Bind(Prefix = "Form")] NewApiKeyModel form, CancellationToken ct)
    {
        try
        {
            var created = await Mediator.Send(new CreateApiKeyCommand(form.Name ?? ""), ct);
            Notice(L["API key \"{0}\" created. Copy it now: it is shown only once.", created.Name]);
            TempData[NewApiKeyKey] = created.ApiKey;
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "Form");
            return View(nameof(ApiKeys), new ApiKeysPage(await Mediator.Send(new ListApiKeysQuery(), ct), form));
        }
        return RedirectToAction(nameof(ApiKeys));
    }

    [HttpPost("apikeys/{id:guid}/revoke")]
    public async Task<IActionResult> RevokeApiKey(Guid id, CancellationToken ct)
    {
        await Mediator.Send(new RevokeApiKeyCommand(id), ct);
        Notice(L["API key revoked: requests with it are refused from now on."]);
        return RedirectToAction(nameof(ApiKeys));
    }
}
