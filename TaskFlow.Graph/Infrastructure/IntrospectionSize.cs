using System.Runtime.CompilerServices;
using GraphQL.Validation.Complexity;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// The complexity rule's impact for introspection lists, from this schema's real sizes: a list of types counts as
/// many types as the schema has, a type's fields as the average number of fields per type, a field's arguments as the
/// average per field, and so on. So the estimate of a one-pass introspection (graphql-js's standard query) is about
/// the size of its answer, while introspection that nests <c>fields { type { fields ... } }</c> still multiplies and
/// meets the limit. Every other field keeps GraphQL.NET's default impact.
/// </summary>
public static class IntrospectionSize
{
    private static readonly Func<FieldImpactContext, FieldComplexityResult> Default = new ComplexityOptions().DefaultComplexityImpactDelegate;
    private static readonly ConditionalWeakTable<ISchema, Dictionary<string, double>> Multipliers = [];

    public static FieldComplexityResult Impact(FieldImpactContext context)
    {
        var parent = context.ParentType.Name;
        if (!parent.StartsWith("__", StringComparison.Ordinal))
        {
            return Default(context);
        }

        var sizes = Multipliers.GetValue(context.ValidationContext.Schema, Measure);
        return sizes.TryGetValue($"{parent}.{context.FieldDefinition.Name}", out var multiplier)
            ? new FieldComplexityResult(1, multiplier)
            : Default(context);
    }

    private static Dictionary<string, double> Measure(ISchema schema)
    {
        var types = schema.AllTypes.ToList();
        var complexFields = types.OfType<IComplexGraphType>().Where(t => t is not IInputObjectGraphType).SelectMany(t => t.Fields).ToList();
        var directives = schema.Directives.ToList();
        double PerType(double total) => Math.Max(1, total / Math.Max(1, types.Count));
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["__Schema.types"] = Math.Max(1, types.Count),
            ["__Schema.directives"] = Math.Max(1, directives.Count),
            ["__Type.fields"] = PerType(complexFields.Count),
            ["__Type.inputFields"] = PerType(types.OfType<IInputObjectGraphType>().Sum(t => t.Fields.Count)),
            ["__Type.enumValues"] = PerType(types.OfType<EnumerationGraphType>().Sum(t => t.Values.Count)),
            ["__Type.interfaces"] = PerType(types.OfType<IObjectGraphType>().Sum(t => t.ResolvedInterfaces.Count)),
            ["__Type.possibleTypes"] = PerType(types.OfType<IAbstractGraphType>().Sum(t => t.PossibleTypes.Count)),
            ["__Field.args"] = Math.Max(1, (double)complexFields.Sum(f => f.Arguments?.Count ?? 0) / Math.Max(1, complexFields.Count)),
            ["__Directive.args"] = Math.Max(1, (double)directives.Sum(d => d.Arguments?.Count ?? 0) / Math.Max(1, directives.Count)),
        };
    }
}
