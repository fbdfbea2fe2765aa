using System.Reflection;
using Google.Protobuf.Reflection;

namespace PaxosLabs.Simulation;

/// <summary>
/// The rpc methods of every .proto compiled into the loaded assemblies, by "package.Service/Method":
/// protoc gives each file a static class with its <see cref="FileDescriptor"/>, which lists the
/// services and each method's request and reply types. So the trace reads any stage's messages
/// without knowing the stages.
/// </summary>
internal static class ProtoMethods
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, MethodDescriptor> Methods = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = [];

    public static MethodDescriptor? Find(string fullName)
    {
        lock (Gate)
        {
            if (!Methods.TryGetValue(fullName, out var method))
            {
                ScanNewAssemblies(); // the method's assembly may have loaded since the last look
                Methods.TryGetValue(fullName, out method);
            }

            return method;
        }
    }

    private static void ScanNewAssemblies()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            // A collectible assembly (a grader's manifest read, say) may unload while it is read, and
            // never holds the kit's protocol.
            if (assembly.IsDynamic || assembly.IsCollectible || !Scanned.Add(assembly) || !assembly.GetReferencedAssemblies().Any(a => a.Name == "Google.Protobuf"))
            {
                continue;
            }

            foreach (var file in FileDescriptors(assembly))
            {
                foreach (var service in file.Services)
                {
                    foreach (var method in service.Methods)
                    {
                        Methods.TryAdd($"{service.FullName}/{method.Name}", method);
                    }
                }
            }
        }
    }

    /// <summary>The value of every public static <c>Descriptor</c> property of type <see cref="FileDescriptor"/>.</summary>
    private static IEnumerable<FileDescriptor> FileDescriptors(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException)
        {
            yield break;
        }

        foreach (var type in types)
        {
            if (type is { IsAbstract: true, IsSealed: true }
                && type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static) is { PropertyType: var propertyType } property
                && propertyType == typeof(FileDescriptor)
                && property.GetValue(null) is FileDescriptor file)
            {
                yield return file;
            }
        }
    }
}
