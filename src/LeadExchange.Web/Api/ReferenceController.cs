using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Identity;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

[Route("api/v1")]
public sealed class ReferenceController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpGet("niches")]
    public Task<IReadOnlyList<NicheDto>> Niches(CancellationToken ct) => Mediator.Send(new ListNichesQuery(), ct);

    [HttpGet("niches/{code}")]
    public Task<NicheDto> Niche(string code, CancellationToken ct) => Mediator.Send(new GetNicheQuery(code), ct);

    [HttpGet("regions")]
    public Task<IReadOnlyList<RegionDto>> Regions([FromQuery] string? country, CancellationToken ct) => Mediator.Send(new ListRegionsQuery(country), ct);
}

public sealed record RegionRequest(string Code, string Name, string? NameRu, string? ParentCode, bool IsActive = true);

public sealed record RoleRequest(string Role, bool Granted);

[Route("api/v1/admin")]
[Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Admin)]
public sealed class AdminController(IMediator mediator) : ApiControllerBase(mediator)
{
    [HttpPost("niches")]
    public async Task<IActionResult> CreateNiche(NicheDto niche, CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new GetNicheQuery(await Mediator.Send(new SaveNicheCommand(niche, IsNew: true), ct)), ct));

    [HttpPut("niches/{code}")]
    public async Task<NicheDto> UpdateNiche(string code, NicheDto niche, CancellationToken ct) =>
        await Mediator.Send(new GetNicheQuery(await Mediator.Send(new SaveNicheCommand(niche with { Code = code }, IsNew: false), ct)), ct);

    [HttpPost("regions")]
    public async Task<IActionResult> CreateRegion(RegionRequest r, CancellationToken ct) =>
        StatusCode(201, new { code = await Mediator.Send(new SaveRegionCommand(r.Code, r.Name, r.NameRu, r.ParentCode, r.IsActive, IsNew: true), ct) });

    [HttpPut("regions/{code}")]
    public async Task<IActionResult> UpdateRegion(string code, RegionRequest r, CancellationToken ct) =>
        Ok(new { code = await Mediator.Send(new SaveRegionCommand(code, r.Name, r.NameRu, r.ParentCode, r.IsActive, IsNew: false), ct) });

    [HttpGet("users")]
    public Task<PagedResult<UserSummary>> Users([FromQuery] string? search, [FromQuery] string? role, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListUsersQuery(search, role, page, pageSize), ct);

    [HttpPost("users/{userId}/roles")]
    public async Task<IActionResult> SetRole(string userId, RoleRequest request, CancellationToken ct)
    {
        await Mediator.Send(new SetUserRoleCommand(userId, request.Role ?? "", request.Granted), ct);
        return NoContent();
    }
}
