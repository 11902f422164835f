using System.Net;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Tracking;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// The app's redirects go only where they should: a click to its offer's own landing whatever the visitor puts in the
/// query, and sign-in only back to a local page.
/// </summary>
public sealed class OpenRedirectTests(PostbackSqliteFactory app) : IClassFixture<PostbackSqliteFactory>
{
    [Theory]
    [InlineData("sub1=https%3A%2F%2Fevil.example%2F&sub2=%2F%2Fevil.example")]
    [InlineData("sub1=%5C%5Cevil.example&sub3=javascript%3Aalert(1)")]
    [InlineData("url=https%3A%2F%2Fevil.example&redirect=https%3A%2F%2Fevil.example&returnUrl=%2F%2Fevil.example&landing=https%3A%2F%2Fevil.example")]
    [InlineData("sub1=.evil.example%40x&sub2=%0d%0aLocation%3A%20https%3A%2F%2Fevil.example")]
    public async Task Click_WhateverTheQuery_RedirectsOnlyToTheOffersOwnLanding(string query)
    {
        var s = await PostbackHarness.SetupAsync(app, topUp: 0);
        using var visitor = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{s.LinkCode}?{query}");
        request.Headers.Add("X-Forwarded-For", ClickFactory.NextIp());
        request.Headers.TryAddWithoutValidation("User-Agent", PostbackHarness.Browser);

        using var response = await visitor.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri, $"Relative redirect {location}");
        Assert.Equal("https", location.Scheme);
        Assert.Equal("landing.example", location.Host);
        Assert.Equal("/go", location.AbsolutePath);
        Assert.Single(response.Headers.GetValues("Location"));
    }

    [Fact]
    public async Task Click_WhenTheLinkIsUnknown_Answers404WithoutARedirect()
    {
        using var visitor = app.CreateAnonymousClient();

        using var response = await visitor.GetAsync("/c/nosuchlink12?url=https%3A%2F%2Fevil.example");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("https://landing{sub1}/")]
    [InlineData("https://{sub1}/go")]
    [InlineData("https://{sub1}@landing.example/")]
    public async Task Offer_WhenALandingMacroCouldChooseTheSite_Answers422(string landing)
    {
        var advertiser = await app.RegisterAsync("advertiser");
        var body = OfferApi.ValidBody();
        body["landingUrl"] = landing;

        var errors = await (await advertiser.Client.PostJsonAsync("/api/v1/offers", body)).ExpectValidationErrorsAsync();

        errors.AssertHasError("landingUrl");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("http:evil.example")]
    public async Task SignIn_WhenTheReturnUrlIsNotLocal_GoesHome(string returnUrl)
    {
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/account/login");

        var response = await browser.PostAsync("/account/login", Form(("Email", "advertiser@demo.test"), ("Password", LeadExchangeFactory.DemoPassword),
            ("ReturnUrl", returnUrl), ("__RequestVerificationToken", token)));

        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_WhenTheReturnUrlIsLocal_GoesThere()
    {
        using var browser = app.CreateAnonymousClient();
        var (_, token) = await PageAsync(browser, "/account/login");

        var response = await browser.PostAsync("/account/login", Form(("Email", "advertiser@demo.test"), ("Password", LeadExchangeFactory.DemoPassword),
            ("ReturnUrl", "/Advertiser/Offers/Index"), ("__RequestVerificationToken", token)));

        await response.ExpectStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/Advertiser/Offers/Index", response.Headers.Location?.OriginalString);
    }
}
