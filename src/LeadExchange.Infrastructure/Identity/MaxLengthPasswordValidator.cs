using LeadExchange.Domain.Identity;
using Microsoft.AspNetCore.Identity;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>
/// Identity's own check of <see cref="PasswordRules.MaxLength"/>: it runs before hashing on every way a password is set
/// (creation, the bootstrap admin, any future change or reset), not only where a validator of the application checks it.
/// </summary>
public sealed class MaxLengthPasswordValidator : IPasswordValidator<ApplicationUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(PasswordRules.IsTooLong(password)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = PasswordRules.TooLongMessage })
            : IdentityResult.Success);
}
