using LeadExchange.Application.Identity;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Infrastructure.Identity;
using LeadExchange.Web.Infrastructure.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>The language switcher in the menu: a cookie for everyone, and the profile's language for a signed-in person.</summary>
[Route("ui/language")]
[AllowWithoutTwoFactor]
[AllowAnonymous]
public sealed class LanguageController(IMediator mediator, SignInManager<ApplicationUser> signIn) : UiController(mediator)
{
    [HttpPost("")]
    public async Task<IActionResult> Set(string? culture, string? returnUrl, CancellationToken ct)
    {
        // Only a local address: the switcher must not be an open redirect.
        var back = Url.LocalOr(returnUrl, "/");
        if (!UiLocalization.IsSupported(culture)) return Redirect(back);
        UiLocalization.WriteCookie(Response, culture!);
        if (User.Identity?.IsAuthenticated == true)
        {
            var profile = await Mediator.Send(new GetProfileQuery(), ct);
            await Mediator.Send(new UpdateProfileCommand(profile.DisplayName, profile.TimeZone, culture!), ct);
            await signIn.RefreshSignInAsync(User);
        }
        return Redirect(back);
    }
}
