using System.Runtime.CompilerServices;

namespace LeadExchange.IntegrationTests.Infrastructure;

internal static class TestAssemblySetup
{
    /// <summary>
    /// Many app instances and parallel-request tests share two cores here. With the default minimum
    /// (one thread per core) the pool grows slowly, and StackExchange.Redis's handshake can wait in the
    /// queue behind 50 racing tasks until it times out. Production nodes set the same minimum in
    /// LeadExchange.Web's runtimeconfig (System.Threading.ThreadPool.MinThreads).
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
