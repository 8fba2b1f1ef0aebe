using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// One OpenAPI document as the gateway serves it, used as a contract: which operations exist, and whether a live
/// response (status, content type, body, required headers) is one the document describes. Response schemas are
/// checked with JsonSchema.Net (OpenAPI 3.1 schemas are JSON Schema 2020-12; component references are resolved).
/// </summary>
public sealed class OpenApiDocumentContract
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };
    private readonly JsonObject _document;

    public OpenApiDocumentContract(string name, string json)
    {
        Name = name;
        Json = json;
        _document = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException($"{name}: not a JSON object.");
    }

    public string Name { get; }

    public string Json { get; }

    public sealed record Operation(string Path, string Method, string OperationId, JsonObject Node)
    {
        public bool RequiresAuth => Node["security"] is not JsonArray { Count: 0 };
    }

    public IEnumerable<Operation> Operations()
    {
        foreach (var (path, item) in _document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, operation) in item?.AsObject() ?? [])
            {
                if (operation is JsonObject node && method is "get" or "put" or "post" or "delete" or "patch")
                {
                    yield return new Operation(path, method.ToUpperInvariant(), node["operationId"]?.GetValue<string>() ?? $"{method} {path}", node);
                }
            }
        }
    }

    /// <summary>What is wrong with <paramref name="response"/> as an answer of <paramref name="operation"/>; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(Operation operation, CapturedResponse response)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(response);
        var where = $"{Name} {operation.OperationId} → {(int)response.Status}";
        var responses = operation.Node["responses"]?.AsObject();
        var documented = Resolve(responses?[((int)response.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?["default"]);
        if (documented is null)
        {
            return [$"{where}: status not documented (documented: {string.Join(", ", responses?.Select(r => r.Key) ?? [])}); body {response.Text}"];
        }

        var problems = new List<string>();
        foreach (var (name, header) in documented["headers"]?.AsObject() ?? [])
        {
            if (Resolve(header)?["required"]?.GetValue<bool>() == true && response.Header(name) is null)
            {
                problems.Add($"{where}: required header {name} missing");
            }
        }

        if (response.Body.Length == 0)
        {
            return problems;
        }

        var mediaType = response.ContentType?.Split(';')[0].Trim() ?? "";
        var content = documented["content"]?.AsObject();
        if (content is null || !content.ContainsKey(mediaType))
        {
            problems.Add($"{where}: content type {mediaType} not documented (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return problems;
        }

        if (content[mediaType]?["schema"] is JsonNode schema && mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            problems.AddRange(Validate(schema, response.Body).Select(e => $"{where} {mediaType}: {e}"));
        }

        return problems;
    }

    /// <summary>Whether the operation documents <paramref name="header"/> on responses with <paramref name="status"/>.</summary>
    public static bool DocumentsHeader(Operation operation, int status, string header) =>
        operation.Node["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["headers"]?[header] is not null;

    public static bool DocumentsParameter(Operation operation, string name) =>
        operation.Node["parameters"]?.AsArray().Any(p => p?["name"]?.GetValue<string>() == name) == true;

    private IReadOnlyList<string> Validate(JsonNode schema, byte[] body)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["allOf"] = new JsonArray(schema.DeepClone()),
            ["$defs"] = _document["components"]?["schemas"]?.DeepClone() ?? new JsonObject(),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var compiled = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var instance = JsonDocument.Parse(body);
        var result = compiled.Evaluate(instance.RootElement, Options);
        if (result.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var detail in (result.Details ?? []).Append(result))
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                errors.Add($"{detail.InstanceLocation} ({keyword}): {message}");
            }
        }

        return errors.Count > 0 ? errors : ["does not match the schema"];
    }

    private JsonNode? Resolve(JsonNode? node)
    {
        if (node?["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
        {
            JsonNode? target = _document;
            foreach (var segment in reference[2..].Split('/'))
            {
                target = target?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            return target;
        }

        return node;
    }
}
