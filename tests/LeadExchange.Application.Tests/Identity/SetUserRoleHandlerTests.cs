using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Identity;
using LeadExchange.Domain.Identity;
using Moq;

namespace LeadExchange.Application.Tests.Identity;

public sealed class SetUserRoleHandlerTests
{
    private readonly Mock<IIdentityService> _identity = new();
    private readonly Mock<ICurrentUser> _user = new();
    private readonly Mock<IUnitOfWork> _unit = new();
    private readonly Mock<IAuditLog> _audit = new();

    private SetUserRoleHandler Handler(string userId, params string[] roles)
    {
        _user.SetupGet(u => u.UserId).Returns(userId);
        _user.Setup(u => u.IsInRole(It.IsAny<string>())).Returns<string>(roles.Contains);
        _identity.Setup(i => i.FindByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new UserSummary(id, id + "@x.test", id, [], DateTime.UtcNow, "UTC", "en"));
        // The unit of work runs the work it is given (its transaction is the database's business, tested in the integration tests).
        _unit.Setup(u => u.RunAsync(It.IsAny<Func<CancellationToken, Task<MediatR.Unit>>>(), It.IsAny<CancellationToken>()))
            .Returns((Func<CancellationToken, Task<MediatR.Unit>> work, CancellationToken ct) => work(ct));
        return new SetUserRoleHandler(_unit.Object, _identity.Object, _user.Object, _audit.Object);
    }

    [Fact]
    public async Task Handle_WhenAdminGrantsModerator_CallsIdentity()
    {
        await Handler("admin1", Roles.Admin).Handle(new SetUserRoleCommand("u2", "moderator", true), default);
        _identity.Verify(i => i.SetRoleAsync("u2", Roles.Moderator, true, It.IsAny<CancellationToken>()), Times.Once);
        _audit.Verify(a => a.AddAsync(AuditActions.RoleGranted, AuditTargets.User, "u2", It.IsAny<object?>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_WhenCallerIsNotAdmin_IsForbiddenAndChangesNothing()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Handler("m1", Roles.Moderator).Handle(new SetUserRoleCommand("u2", "admin", true), default));
        _identity.Verify(i => i.SetRoleAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
        _audit.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("advertiser")]
    [InlineData("webmaster")]
    [InlineData("root")]
    public async Task Handle_WhenRoleIsNotGrantable_FailsOnRoleField(string role)
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Handler("admin1", Roles.Admin).Handle(new SetUserRoleCommand("u2", role, true), default));
        Assert.True(ex.Errors.ContainsKey("Role"));
    }

    [Fact]
    public async Task Handle_WhenAdminRemovesOwnAdmin_Conflicts()
    {
        var ex = await Assert.ThrowsAsync<ConflictException>(() => Handler("admin1", Roles.Admin).Handle(new SetUserRoleCommand("admin1", "Admin", false), default));
        Assert.Equal("self_demotion", ex.Code);
    }

    [Fact]
    public async Task Handle_WhenUserUnknown_NotFound()
    {
        var handler = Handler("admin1", Roles.Admin);
        _identity.Setup(i => i.FindByIdAsync("ghost", It.IsAny<CancellationToken>())).ReturnsAsync((UserSummary?)null);
        await Assert.ThrowsAsync<NotFoundException>(() => handler.Handle(new SetUserRoleCommand("ghost", "Moderator", true), default));
    }
}
