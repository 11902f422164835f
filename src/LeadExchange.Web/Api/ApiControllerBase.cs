using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

/// <summary>Every /api/v1 controller: X-Api-Key authentication, JSON, problem details, thin actions.</summary>
[ApiController]
[Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName)]
[ServiceFilter(typeof(ApiExceptionFilter))]
// API calls authenticate by header, never by cookie, so cross-site request forgery does not apply.
[IgnoreAntiforgeryToken]
public abstract class ApiControllerBase(IMediator mediator) : ControllerBase
{
    protected IMediator Mediator { get; } = mediator;
}
