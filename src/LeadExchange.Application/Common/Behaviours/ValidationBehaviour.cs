using LeadExchange.Application.Common.Validation;
using MediatR;

namespace LeadExchange.Application.Common.Behaviours;

public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var errors = new List<(string Field, string Message)>();
        foreach (var validator in validators)
            errors.AddRange(await validator.ValidateAsync(request, cancellationToken));
        if (errors.Count > 0)
            throw Exceptions.ValidationException.From(errors);
        return await next();
    }
}
