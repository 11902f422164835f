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
        catch (Exception ex) when (ex is Exceptions.ValidationException or Exceptions.NotFoundException or Exceptions.ForbiddenException or Exceptions.ConflictException or Domain.Common.DomainException or Ledger.DuplicateEntryException)
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
}
