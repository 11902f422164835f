using LeadExchange.Application.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadExchange.Web.Api;

// Both print without the password: a record prints every member, and ASP.NET Core logs action arguments at Trace level.
public sealed record RegisterRequest(string Email, string Password, string Role, string DisplayName)
{
    public override string ToString() => $"{nameof(RegisterRequest)} {{ Email = {Email}, Role = {Role}, Password = *** }}";
}

/// <param name="TwoFactorCode">Accounts with two-factor sign-in (every admin and moderator): the authenticator's current code, or a recovery code.</param>
public sealed record KeyWithPasswordRequest(string Email, string Password, string Name, string? TwoFactorCode = null)
{
    public override string ToString() => $"{nameof(KeyWithPasswordRequest)} {{ Email = {Email}, Name = {Name}, Password = ***, TwoFactorCode = *** }}";
}

[Route("api/v1/auth")]
[AllowAnonymous]
[EnableRateLimiting(Infrastructure.RateLimitPolicies.Auth)]
public sealed class AuthController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Sign up as advertiser or webmaster; answers the first API key (shown once).</summary>
    [HttpPost("register")]
    [ProducesResponseType<RegisterResult>(201)]
    [ProducesResponseType<ValidationProblemDetails>(422)]
    public async Task<IActionResult> Register(RegisterRequest request, CancellationToken ct)
    {
        var result = await Mediator.Send(new RegisterCommand(request.Email ?? "", request.Password ?? "", request.Role ?? "", request.DisplayName ?? ""), ct);
        return StatusCode(201, new { userId = result.UserId, apiKey = result.ApiKey });
    }

    /// <summary>A new API key for an existing account, by email and password (and the two-factor code when the account has one).</summary>
    [HttpPost("keys")]
    [ProducesResponseType(201)]
    [ProducesResponseType<ProblemDetails>(401)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ValidationProblemDetails>(422)]
    public async Task<IActionResult> CreateKey(KeyWithPasswordRequest request, CancellationToken ct)
    {
        var key = await Mediator.Send(new CreateKeyWithPasswordCommand(request.Email ?? "", request.Password ?? "", request.Name ?? "", request.TwoFactorCode), ct);
        return StatusCode(201, new { apiKey = key.ApiKey, id = key.Id, name = key.Name, prefix = key.Prefix });
    }
}

public sealed record CreateApiKeyRequest(string Name);

[Route("api/v1/api-keys")]
public sealed class ApiKeysController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpGet]
    public Task<IReadOnlyList<ApiKeyDto>> List(CancellationToken ct) => Mediator.Send(new ListApiKeysQuery(), ct);

    /// <summary>Creates a key; the plain key is in this answer only.</summary>
    [HttpPost]
    [ProducesResponseType<CreatedApiKeyDto>(201)]
    public async Task<IActionResult> Create(CreateApiKeyRequest request, CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new CreateApiKeyCommand(request.Name ?? ""), ct));

    [HttpDelete("{id:guid}")]
    [ProducesResponseType(204)]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct)
    {
        await Mediator.Send(new RevokeApiKeyCommand(id), ct);
        return NoContent();
    }
}
