using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record ProfileRequest(string DisplayName, string TimeZone, string Culture);

/// <summary>The caller's own profile, as on the profile page.</summary>
[Route("api/v1/profile")]
public sealed class ProfileController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpGet]
    public Task<UserSummary> Get(CancellationToken ct) => Mediator.Send(new GetProfileQuery(), ct);

    [HttpPut]
    public async Task<UserSummary> Update(ProfileRequest request, CancellationToken ct)
    {
        await Mediator.Send(new UpdateProfileCommand(request.DisplayName ?? "", request.TimeZone ?? "", request.Culture ?? ""), ct);
        return await Mediator.Send(new GetProfileQuery(), ct);
    }
}
