using AutoMapper;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Offers;

namespace LeadExchange.Application.Offers;

public sealed class OfferMappingProfile : Profile
{
    public OfferMappingProfile()
    {
        CreateMap<OfferGoal, GoalDto>()
            .ForMember(d => d.AdvertiserPercent, o => o.MapFrom(s => s.AdvertiserPercentBp == null ? (decimal?)null : s.AdvertiserPercentBp.Value / 100m))
            .ForMember(d => d.WebmasterPercent, o => o.MapFrom(s => s.WebmasterPercentBp == null ? (decimal?)null : s.WebmasterPercentBp.Value / 100m));
        CreateMap<Offer, OfferDto>()
            .ForMember(d => d.Regions, o => o.MapFrom(s => s.Regions.Select(r => r.RegionCode)))
            .ForMember(d => d.Goals, o => o.MapFrom(s => s.Goals.OrderByDescending(g => g.IsDefault).ThenBy(g => g.Code)))
            .ForMember(d => d.NicheName, o => o.MapFrom(s => s.Niche!.Name))
            .ForMember(d => d.MyParticipation, o => o.Ignore());
        CreateMap<OfferParticipation, ParticipationDto>()
            .ForMember(d => d.OfferTitle, o => o.MapFrom(s => s.Offer!.Title))
            .ForMember(d => d.WebmasterName, o => o.Ignore())
            .ForMember(d => d.TrackingUrl, o => o.Ignore());
    }
}
