using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Leads;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Tests.Behaviours;

/// <summary>
/// The losers of races between requests and nodes (duplicate lead, lead already sold, ...) are the rules working: they
/// must not be logged as errors (an alert on error logs would page someone for every duplicate postback). Failures are.
/// </summary>
public sealed class LoggingBehaviourTests
{
    public sealed record Ping;

    public static TheoryData<Exception> Refusals => new()
    {
        new DuplicateLeadException(Guid.NewGuid()),
        new DuplicateConversionException(),
        new LeadNotAvailableException("already_sold", "The lead was sold a moment ago."),
        new OrderCapReachedException("Daily cap reached."),
        new TooManyRequestsException("Slow down.", 30),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Handle_RaceLoserOrRefusal_LoggedAsInformation(Exception refusal)
    {
        var logger = new RecordingLogger();
        var behaviour = new LoggingBehaviour<Ping, int>(logger);

        await Assert.ThrowsAsync(refusal.GetType(), () => behaviour.Handle(new Ping(), default, () => throw refusal));

        Assert.Equal([LogLevel.Information], logger.Levels);
    }

    [Fact]
    public async Task Handle_Failure_LoggedAsError()
    {
        var logger = new RecordingLogger();
        var behaviour = new LoggingBehaviour<Ping, int>(logger);

        await Assert.ThrowsAsync<InvalidOperationException>(() => behaviour.Handle(new Ping(), default, () => throw new InvalidOperationException("boom")));

        Assert.Equal([LogLevel.Error], logger.Levels);
    }

    private sealed class RecordingLogger : ILogger<LoggingBehaviour<Ping, int>>
    {
        public List<LogLevel> Levels { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }
}
