using LeadExchange.Application.Identity;

namespace LeadExchange.Application.Tests.Identity;

public sealed class ValidatorTests
{
    [Fact]
    public async Task Register_WhenEverythingMissing_NamesEachField()
    {
        var errors = await new RegisterValidator().ValidateAsync(new RegisterCommand("", "", "", ""), default);
        Assert.Equal(["DisplayName", "Email", "Password", "Role"], errors.Select(e => e.Field).Distinct().Order());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b@c")]
    [InlineData("Name <a@b.test>")]
    public async Task Register_WhenEmailMalformed_FlagsEmail(string email)
    {
        var errors = await new RegisterValidator().ValidateAsync(new RegisterCommand(email, "Passw0rd!", "advertiser", "A"), default);
        Assert.Contains(errors, e => e.Field == "Email");
    }

    [Theory]
    [InlineData("moderator")]
    [InlineData("Admin")]
    public async Task Register_WhenRoleIsNotSelfService_FlagsRole(string role)
    {
        var errors = await new RegisterValidator().ValidateAsync(new RegisterCommand("a@b.test", "Passw0rd!", role, "A"), default);
        Assert.Equal("Role", Assert.Single(errors).Field);
    }

    [Fact]
    public async Task Register_WhenValid_HasNoErrors() =>
        Assert.Empty(await new RegisterValidator().ValidateAsync(new RegisterCommand("a@b.test", "Passw0rd!", "Webmaster", "A"), default));

    [Fact]
    public async Task UpdateProfile_WhenTimeZoneAndCultureUnknown_FlagsBoth()
    {
        var errors = await new UpdateProfileValidator().ValidateAsync(new UpdateProfileCommand("A", "Mars/Olympus", "de"), default);
        Assert.Equal(["Culture", "TimeZone"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public async Task UpdateProfile_WhenIanaZone_Passes() =>
        Assert.Empty(await new UpdateProfileValidator().ValidateAsync(new UpdateProfileCommand("A", "Europe/Moscow", "ru"), default));
}
