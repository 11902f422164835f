using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.SqlServer.Storage.Internal;
using Npgsql;

namespace LeadExchange.Infrastructure.Persistence;

/// <summary>
/// Tells "the database is down or overloaded for a moment" (answer 503 with Retry-After, the caller tries again)
/// from real faults (500) and conflicts (409). Looks through the whole chain of inner exceptions, because EF wraps
/// the provider's error (RetryLimitExceededException after the execution strategy gave up, DbUpdateException,
/// InvalidOperationException "likely due to a transient failure").
/// </summary>
public static class DatabaseFailures
{
    /// <summary>Seconds a client is asked to wait (Retry-After) when the database is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>SQLITE_BUSY and SQLITE_LOCKED: another writer holds the file longer than the busy timeout.</summary>
    private const int SqliteBusy = 5, SqliteLocked = 6;

    public static bool IsUnavailable(Exception? exception)
    {
        var fromDatabase = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Thrown only by a retrying execution strategy that met transient failures until it ran out of attempts.
                case RetryLimitExceededException:
                case NpgsqlException { IsTransient: true }:
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                    return true;
#pragma warning disable EF1001 // the detector is EF's own list of transient SQL Server errors
                case SqlException sql when SqlServerTransientExceptionDetector.ShouldRetryOn(sql):
#pragma warning restore EF1001
                    return true;
                case DbException or DbUpdateException:
                    fromDatabase = true;
                    break;
                // A timeout or a broken socket counts only under a database exception: a Redis timeout is a TimeoutException too.
                case TimeoutException or SocketException or IOException when fromDatabase:
                    return true;
            }
        }
        return false;
    }
}
