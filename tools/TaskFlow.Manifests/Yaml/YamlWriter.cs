using System.Text.Encodings.Web;

namespace TaskFlow.Manifests.Yaml;

/// <summary>
/// Writes JSON-shaped documents as block-style YAML, the way Kubernetes manifests are usually written. Strings are
/// plain only when no YAML 1.1 or 1.2 reader can take them for anything else; otherwise double-quoted (JSON escapes
/// are valid YAML escapes), or literal blocks when they span lines.
/// </summary>
public static partial class YamlWriter
{
    private static readonly JsonSerializerOptions QuotedString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null",
    };

    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./:@+=-]*$")]
    private static partial Regex PlainSafe();

    public static string Write(IEnumerable<JsonObject> documents, IEnumerable<string>? headerComments = null)
    {
        var yaml = new StringBuilder();
        foreach (var comment in headerComments ?? [])
        {
            yaml.Append(comment.Length == 0 ? "#" : "# " + comment).Append('\n');
        }

        foreach (var document in documents)
        {
            yaml.Append("---\n");
            WriteMapping(yaml, document, 0);
        }

        return yaml.ToString();
    }

    private static void WriteMapping(StringBuilder yaml, JsonObject mapping, int indent)
    {
        foreach (var (key, value) in mapping)
        {
            yaml.Append(' ', indent).Append(Scalar(key, indent, allowBlock: false)).Append(':');
            WriteValue(yaml, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder yaml, JsonArray sequence, int indent)
    {
        foreach (var item in sequence)
        {
            if (item is JsonObject { Count: > 0 } mapping)
            {
                // The first key goes on the dash's line: "- name: x", the others under it.
                var nested = new StringBuilder();
                WriteMapping(nested, mapping, indent + 2);
                yaml.Append(' ', indent).Append("- ").Append(nested.ToString(indent + 2, nested.Length - indent - 2));
            }
            else
            {
                yaml.Append(' ', indent).Append('-');
                WriteValue(yaml, item, indent);
            }
        }
    }

    /// <summary>Writes what follows "key:" or "-": a scalar on the same line, or a nested block below it.</summary>
    private static void WriteValue(StringBuilder yaml, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                yaml.Append(" {}\n");
                break;
            case JsonArray { Count: 0 }:
                yaml.Append(" []\n");
                break;
            case JsonObject mapping:
                yaml.Append('\n');
                WriteMapping(yaml, mapping, indent + 2);
                break;
            case JsonArray sequence:
                yaml.Append('\n');
                WriteSequence(yaml, sequence, indent + 2);
                break;
            default:
                yaml.Append(' ').Append(Scalar(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? value, int indent) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var text) => Scalar(text, indent, allowBlock: true),
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => throw new ArgumentException($"Cannot write {value.GetValueKind()} as a YAML scalar."),
    };

    /// <param name="indent">Indentation of the block's content lines, for literal blocks.</param>
    private static string Scalar(string text, int indent, bool allowBlock)
    {
        if (PlainSafe().IsMatch(text) && !text.EndsWith(':') && !Reserved.Contains(text))
        {
            return text;
        }

        if (allowBlock && text.Contains('\n') && CanBeLiteralBlock(text))
        {
            return LiteralBlock(text, indent);
        }

        return JsonSerializer.Serialize(text, QuotedString);
    }

    private static bool CanBeLiteralBlock(string text) =>
        !text.StartsWith(' ') && !text.StartsWith('\n') && !text.Contains('\r') && !text.Contains('\t') &&
        text.All(c => !char.IsControl(c) || c == '\n');

    private static string LiteralBlock(string text, int indent)
    {
        var trailingNewlines = text.Length - text.TrimEnd('\n').Length;
        var chomping = trailingNewlines switch
        {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        var block = new StringBuilder(chomping);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            block.Append('\n');
            if (line.Length > 0)
            {
                block.Append(' ', indent).Append(line);
            }
        }

        // Keep-chomping ("|+") needs the extra empty lines written out.
        for (var i = 1; i < trailingNewlines; i++)
        {
            block.Append('\n');
        }

        return block.ToString();
    }
}
