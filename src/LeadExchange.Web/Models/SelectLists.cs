using LeadExchange.Application.Reference;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace LeadExchange.Web.Models;

public static class SelectLists
{
    /// <summary>Regions grouped by country (the country itself first in its group).</summary>
    public static IEnumerable<SelectListItem> Regions(IReadOnlyList<RegionDto> regions, IEnumerable<string?> selected)
    {
        var chosen = selected.Where(s => s is not null).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var groups = regions.Where(r => r.ParentCode is null)
            .ToDictionary(r => r.CountryCode, r => new SelectListGroup { Name = r.Name });
        foreach (var region in regions)
        {
            var group = groups.GetValueOrDefault(region.CountryCode) ?? new SelectListGroup { Name = region.CountryCode };
            yield return new SelectListItem(
                region.ParentCode is null ? $"{region.Name} — whole country" : region.Name,
                region.Code, chosen.Contains(region.Code)) { Group = group };
        }
    }

    public static IEnumerable<SelectListItem> Niches(IReadOnlyList<NicheDto> niches, string? selected) =>
        niches.Select(n => new SelectListItem(n.Name, n.Code, n.Code == selected));
}
