using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Validation;
using Moq;

namespace LeadExchange.Application.Tests.Behaviours;

public sealed class ValidationBehaviourTests
{
    public sealed record Ping(string Value);

    [Fact]
    public async Task Handle_WhenValidatorsReportErrors_ThrowsWithAllAndSkipsHandler()
    {
        var first = new Mock<IValidator<Ping>>();
        first.Setup(v => v.ValidateAsync(It.IsAny<Ping>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new List<(string, string)> { ("Value", "Too short."), ("Value", "Too short.") });
        var second = new Mock<IValidator<Ping>>();
        second.Setup(v => v.ValidateAsync(It.IsAny<Ping>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new List<(string, string)> { ("Other", "Missing.") });
        var behaviour = new ValidationBehaviour<Ping, int>([first.Object, second.Object]);
        var called = false;

        var ex = await Assert.ThrowsAsync<ValidationException>(() => behaviour.Handle(new Ping("x"), default, () => { called = true; return Task.FromResult(1); }));

        Assert.False(called);
        Assert.Equal(["Too short."], ex.Errors["Value"]);
        Assert.Equal(["Missing."], ex.Errors["Other"]);
    }

    [Fact]
    public async Task Handle_WhenNoErrors_CallsNext()
    {
        var behaviour = new ValidationBehaviour<Ping, int>([]);
        Assert.Equal(42, await behaviour.Handle(new Ping("x"), default, () => Task.FromResult(42)));
    }
}
