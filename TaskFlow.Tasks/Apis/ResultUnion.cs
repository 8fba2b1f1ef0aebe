using System.Collections.Concurrent;
using System.Reflection;

namespace TaskFlow.Tasks.Apis;

/// <summary>
/// Puts a result into an endpoint's declared <c>Results&lt;…&gt;</c> through that union's own implicit conversion, so
/// one function can answer failures for endpoints whose unions (and so whose OpenAPI responses) differ. The
/// conversion for each result type is looked up once and compiled.
/// </summary>
internal static class ResultUnion<TUnion>
    where TUnion : IResult
{
    private static readonly ConcurrentDictionary<Type, Func<IResult, TUnion>> Conversions = new();

    /// <exception cref="InvalidOperationException">The union does not declare the result's type.</exception>
    public static TUnion From(IResult result) => Conversions.GetOrAdd(result.GetType(), ConversionFrom)(result);

    private static Func<IResult, TUnion> ConversionFrom(Type resultType)
    {
        var conversion = typeof(TUnion).GetMethod("op_Implicit", BindingFlags.Public | BindingFlags.Static, [resultType])
            ?? throw new InvalidOperationException($"{typeof(TUnion)} does not declare {resultType}.");
        var result = Expression.Parameter(typeof(IResult), "result");
        return Expression.Lambda<Func<IResult, TUnion>>(Expression.Call(conversion, Expression.Convert(result, resultType)), result).Compile();
    }
}
