using System.Linq.Expressions;

namespace LeadExchange.Domain.Leads;

/// <summary>
/// Whether a lead can still be bought, as one definition each for SQL and memory: the sale's conditional update (the
/// guard that makes "no oversold lead" hold under races and on several nodes), the catalog's filter and buttons, and
/// <see cref="Lead"/>'s own checks use these expressions, so the rule cannot differ between them.
/// </summary>
public static class LeadAvailability
{
    private static readonly Expression<Func<Lead, DateTime, bool>> ExclusiveRule =
        (l, now) => l.Status == LeadStatus.OnSale && l.SoldCount == 0 && l.ExpiresAt > now;

    private static readonly Expression<Func<Lead, DateTime, int, bool>> SharedRule =
        (l, now, maxShared) => l.Status == LeadStatus.OnSale && !l.SoldExclusive && l.SoldCount < maxShared && l.ExpiresAt > now;

    private static readonly Func<Lead, DateTime, bool> ExclusiveCheck = ExclusiveRule.Compile();
    private static readonly Func<Lead, DateTime, int, bool> SharedCheck = SharedRule.Compile();

    /// <summary>On sale, nobody bought it yet, not expired.</summary>
    public static Expression<Func<Lead, bool>> OpenForExclusive(DateTime now) => Bind(ExclusiveRule, new Values(now, 0));

    /// <summary>On sale, not sold exclusively, fewer than <paramref name="maxShared"/> buyers so far, not expired.</summary>
    public static Expression<Func<Lead, bool>> OpenForShared(DateTime now, int maxShared) => Bind(SharedRule, new Values(now, maxShared));

    public static bool IsOpenForExclusive(this Lead lead, DateTime now) => ExclusiveCheck(lead, now);

    public static bool IsOpenForShared(this Lead lead, DateTime now, int maxShared) => SharedCheck(lead, now, maxShared);

    /// <summary>The values as members of an object, so EF Core sends them as parameters (one cached query plan) rather than constants.</summary>
    private sealed record Values(DateTime Now, int MaxShared);

    private static Expression<Func<Lead, bool>> Bind(LambdaExpression rule, Values values)
    {
        var lead = rule.Parameters[0];
        var box = Expression.Constant(values);
        var replacements = new Dictionary<ParameterExpression, Expression> { [rule.Parameters[1]] = Expression.Property(box, nameof(Values.Now)) };
        if (rule.Parameters.Count > 2) replacements[rule.Parameters[2]] = Expression.Property(box, nameof(Values.MaxShared));
        return Expression.Lambda<Func<Lead, bool>>(new Replace(replacements).Visit(rule.Body), lead);
    }

    private sealed class Replace(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => replacements.TryGetValue(node, out var with) ? with : node;
    }
}
