using System.Globalization;
using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>
/// The app's clock in every in-process test app: real time plus an offset the tests move forward (outbox backoff,
/// leases, hold periods) instead of waiting, or stopped at an instant for exact boundaries.
/// <para>
/// <c>LEADEX_TEST_CLOCK</c> starts every test app's clock elsewhere than the wall clock, so the whole suite can be run
/// "at" any time of day: <c>23:30</c> (the last 23:30 UTC before the test process starts, then running on) or an ISO instant
/// (<c>2026-03-29T00:59:00Z</c>). The shift is taken once per test process (<see cref="SuiteOffset"/>), so every app and
/// <see cref="TestTime.UtcNow"/> agree; a test that mixes the machine's clock with the app's then fails at once, not at
/// 21:00 UTC some evening.
/// </para>
/// </summary>
public sealed class TestClock : IClock
{
    public const string StartVariable = "LEADEX_TEST_CLOCK";

    private long _offsetTicks;
    /// <summary>Non-zero while the clock is stopped at that instant (tests of exact boundaries).</summary>
    private long _frozenTicks;

    private static readonly Lazy<TimeSpan> Suite = new(() => StartFromEnvironment() is { } start ? start - DateTime.UtcNow : TimeSpan.Zero);

    /// <summary>How far this test process's time is from the wall clock (<see cref="StartVariable"/>; zero when unset).</summary>
    public static TimeSpan SuiteOffset => Suite.Value;

    public TestClock()
    {
        _offsetTicks = SuiteOffset.Ticks;
    }

    public DateTime UtcNow => Interlocked.Read(ref _frozenTicks) is > 0 and var frozen
        ? new DateTime(frozen, DateTimeKind.Utc)
        : DateTime.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        if (Interlocked.Read(ref _frozenTicks) > 0) Interlocked.Add(ref _frozenTicks, by.Ticks);
    }

    /// <summary>
    /// Moves on to the next <paramref name="timeOfDay"/> (UTC) at least <paramref name="atLeast"/> ahead: a test whose
    /// expectations depend on the hour (days in other time zones) runs at the same hour whenever the suite runs.
    /// </summary>
    public DateTime AdvanceTo(TimeOnly timeOfDay, TimeSpan atLeast = default)
    {
        var now = UtcNow;
        var target = now.Date + timeOfDay.ToTimeSpan();
        while (target < now + atLeast) target = target.AddDays(1);
        Advance(target - now);
        return target;
    }

    /// <summary>The same time as <paramref name="other"/> (a second node of one test, as real nodes roughly agree).</summary>
    public void MatchOffset(TestClock other) => Interlocked.Exchange(ref _offsetTicks, Interlocked.Read(ref other._offsetTicks));

    /// <summary>Stops the clock at <paramref name="utc"/> until <see cref="Resume"/>.</summary>
    public void FreezeAt(DateTime utc) => Interlocked.Exchange(ref _frozenTicks, DateTime.SpecifyKind(utc, DateTimeKind.Utc).Ticks);

    /// <summary>Runs on from the instant it was stopped at (time never goes back).</summary>
    public void Resume()
    {
        var frozen = Interlocked.Exchange(ref _frozenTicks, 0);
        if (frozen > 0) Interlocked.Exchange(ref _offsetTicks, Math.Max(Interlocked.Read(ref _offsetTicks), frozen - DateTime.UtcNow.Ticks));
    }

    /// <summary>The instant <see cref="StartVariable"/> names, or null when it is not set.</summary>
    public static DateTime? StartFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(StartVariable)?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            // The last such time, never a later one: the apps of other processes (multi-node, the browser tests' app) and
            // the databases run on the machine's clock, and what a test writes (a consent time) must not be in their future.
            var now = DateTime.UtcNow;
            var today = now.Date + time.ToTimeSpan();
            return today <= now ? today : today.AddDays(-1);
        }
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant))
            return DateTime.SpecifyKind(instant, DateTimeKind.Utc);
        throw new InvalidOperationException($"{StartVariable}='{value}' is neither HH:mm nor an ISO instant.");
    }
}

/// <summary>
/// "Now" for what a test writes into requests and rows (consent times, hold release times, creation times): the wall clock
/// shifted like every test app's clock (<see cref="TestClock.SuiteOffset"/>), before any test moves its own app's clock.
/// Deadlines of polling loops stay on the wall clock.
/// </summary>
public static class TestTime
{
    public static DateTime UtcNow => DateTime.UtcNow + TestClock.SuiteOffset;
}
