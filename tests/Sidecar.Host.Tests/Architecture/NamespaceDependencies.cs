using System.Reflection;
using System.Reflection.Emit;

namespace Sidecar.Host.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which others: from every type's base, interfaces, fields,
/// properties, method signatures, generic arguments and the members its method bodies touch (read
/// from their IL), so that a reference written only inside a method counts too.
/// </summary>
internal static class NamespaceDependencies
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The namespaces each namespace of <paramref name="assemblies"/> uses, among those of <paramref name="assemblies"/>.</summary>
    public static Dictionary<string, HashSet<string>> Of(params Assembly[] assemblies)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var ours = assemblies.ToHashSet();
        foreach (var type in assemblies.SelectMany(assembly => assembly.GetTypes()))
        {
            var from = NamespaceOf(type);
            if (from is null || !from.StartsWith("Sidecar.", StringComparison.Ordinal))
            {
                continue;
            }

            if (!graph.TryGetValue(from, out var uses))
            {
                graph[from] = uses = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var used in TypesUsedBy(type))
            {
                if (ours.Contains(used.Assembly) && NamespaceOf(used) is { } to && to != from && to.StartsWith("Sidecar.", StringComparison.Ordinal))
                {
                    uses.Add(to);
                }
            }
        }

        return graph;
    }

    /// <summary>Every cycle's path, as "A -> B -> A", found by a depth-first walk.</summary>
    public static List<string> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var cycles = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            Visit(start);
        }

        return cycles;

        void Visit(string node)
        {
            var onPath = path.IndexOf(node);
            if (onPath >= 0)
            {
                cycles.Add(string.Join(" -> ", path.Skip(onPath).Append(node)));
                return;
            }

            if (!done.Add(node))
            {
                return;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>The namespace a type is declared in, for nested and compiler-generated types too.</summary>
    private static string? NamespaceOf(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }

    private static List<Type> TypesUsedBy(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        Add(type.BaseType);
        foreach (var face in type.GetInterfaces())
        {
            Add(face);
        }

        foreach (var field in type.GetFields(All))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(All))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var used in TypesInBody(method))
            {
                Add(used);
            }
        }

        return found;

        void Add(Type? used)
        {
            if (used is null)
            {
                return;
            }

            if (used.HasElementType)
            {
                Add(used.GetElementType());
                return;
            }

            found.Add(used);
            if (used.IsGenericType && !used.IsGenericTypeDefinition)
            {
                foreach (var argument in used.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }
    }

    /// <summary>The types of the members and types the IL of <paramref name="method"/> refers to by token.</summary>
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var module = method.Module;
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            var code = s_opCodes[value];
            var operand = code.OperandType;
            if (operand is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, position);
                Type? owner = null;
                try
                {
                    var member = module.ResolveMember(token, typeArguments, methodArguments);
                    owner = member as Type ?? member?.DeclaringType;
                    if (member is FieldInfo field)
                    {
                        owner = field.DeclaringType;
                    }
                }
                catch (ArgumentException)
                {
                    // A token of a generic context this walk does not rebuild: its signature types were counted already.
                }

                if (owner is not null)
                {
                    yield return owner;
                }
            }

            position += OperandSize(operand, il, position);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int position) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
