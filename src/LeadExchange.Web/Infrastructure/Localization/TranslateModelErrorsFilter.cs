using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Infrastructure.Localization;

/// <summary>
/// Field errors come from the application layer in English (validators, Identity, intake). Just before a page
/// renders them, each message with a translation is swapped for it, so every form shows its errors in the page's
/// language without the application knowing about languages. JSON results (the API) are left alone.
/// </summary>
public sealed class TranslateModelErrorsFilter(IStringLocalizer localizer) : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is not (ViewResult or PartialViewResult) || context.ModelState.IsValid) return;
        foreach (var entry in context.ModelState.Values)
        {
            if (entry.Errors.Count == 0) continue;
            var errors = entry.Errors.Select(Translate).ToList();
            entry.Errors.Clear();
            foreach (var error in errors) entry.Errors.Add(error);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    private ModelError Translate(ModelError error)
    {
        if (string.IsNullOrEmpty(error.ErrorMessage)) return error;
        var text = localizer[error.ErrorMessage];
        if (text.ResourceNotFound) return error;
        return error.Exception is null ? new ModelError(text.Value) : new ModelError(error.Exception, text.Value);
    }
}
