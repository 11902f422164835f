using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Common.Behaviours;

/// <summary>Logs each request's name, outcome and duration; never its fields (they may hold contact data).</summary>
public sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            logger.LogDebug("{Request} handled in {Elapsed} ms", typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            logger.LogInformation("{Request} refused: {Reason}", typeof(TRequest).Name, ex.GetType().Name);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Request} failed after {Elapsed} ms", typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    /// <summary>
    /// Answers the caller gets as a 4xx: bad input, and the expected losers of races between requests and nodes
    /// (duplicate lead or conversion, lead already sold, order cap or budget reached, not enough money). They are
    /// the rules working, not failures, so they are logged as information, not as errors that would page someone.
    /// </summary>
    private static bool IsRefusal(Exception ex) => ex is Exceptions.ValidationException or Exceptions.NotFoundException
        or Exceptions.ForbiddenException or Exceptions.ConflictException or Exceptions.AuthenticationFailedException
        or Domain.Common.DomainException or Ledger.DuplicateEntryException or Ledger.InsufficientFundsException
        or Leads.DuplicateLeadException or Leads.TooManyRequestsException or Conversions.DuplicateConversionException
        or Buying.LeadNotAvailableException or Buying.OrderExhaustedException or Buying.OrderCapReachedException;
}
