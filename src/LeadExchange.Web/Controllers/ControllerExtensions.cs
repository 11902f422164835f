using System.Security.Claims;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LeadExchange.Web.Controllers;

public static class ControllerExtensions
{
    /// <summary>Field the application uses for errors that belong to no single field (e.g. Identity's).</summary>
    private const string GeneralField = "General";

    /// <summary>
    /// Puts each field error of <paramref name="exception"/> into ModelState under the form's field name,
    /// so the message shows beside the field and in the validation summary. <paramref name="prefix"/> is
    /// the form model's binding prefix ("Form"); <paramref name="fieldName"/> renames application fields
    /// that the form calls differently. Returns whether any error was added.
    /// </summary>
    public static bool AddErrors(this ModelStateDictionary modelState, ValidationException exception, string prefix = "",
        Func<string, string>? fieldName = null)
    {
        var added = false;
        foreach (var (field, messages) in exception.Errors)
        {
            var name = field == GeneralField ? "" : fieldName?.Invoke(field) ?? field;
            var key = prefix.Length == 0 || name.Length == 0 ? name : $"{prefix}.{name}";
            foreach (var message in messages)
            {
                modelState.AddModelError(key, message);
                added = true;
            }
        }
        return added;
    }

    /// <summary>The URL to go back to after a POST: the given local URL, or the fallback.</summary>
    public static string LocalOr(this Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl, string fallback) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : fallback;

    /// <summary>
    /// Re-issues the sign-in cookie of <paramref name="principal"/> after their profile changed, so the claims
    /// it carries (the UI language) apply from the next page on instead of at the next stamp validation.
    /// </summary>
    public static async Task RefreshSignInAsync(this SignInManager<ApplicationUser> signIn, ClaimsPrincipal principal)
    {
        if (await signIn.UserManager.GetUserAsync(principal) is { } user) await signIn.RefreshSignInAsync(user);
    }
}
