using System.Reflection;
using System.Runtime.Loader;

namespace LeadExchange.Web.OpenApi;

/// <summary>
/// NSwag 14.8.0 references NJsonSchema.NewtonsoftJson 11.6.2, which this package registry does not serve;
/// the project references 11.6.1 instead (Directory.Packages.props). The runtime would refuse to load 11.6.1 for a
/// reference to 11.6.2, so this handler answers that one assembly name with the copy we ship.
/// Remove it (and the direct package reference) once 11.6.2 restores.
/// </summary>
public static class NJsonSchemaLoaderFix
{
    private const string AssemblyName = "NJsonSchema.NewtonsoftJson";
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (!string.Equals(name.Name, AssemblyName, StringComparison.Ordinal)) return null;
            var path = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }
}
