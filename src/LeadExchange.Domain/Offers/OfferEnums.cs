namespace LeadExchange.Domain.Offers;

public enum OfferStatus { Active, Paused, Archived }

/// <summary>Public offers accept every webmaster at once; approval-required ones wait for the advertiser.</summary>
public enum OfferAccess { Public, ApprovalRequired }

/// <summary>CPA: fixed per action. CPL: fixed per lead. CPS: percent of the sale amount or fixed per sale.</summary>
public enum PayoutModel { Cpa, Cpl, Cps }

public enum ParticipationStatus { Pending, Approved, Rejected }
