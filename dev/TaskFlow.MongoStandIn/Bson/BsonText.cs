namespace TaskFlow.MongoStandIn.Bson;

/// <summary>Type names and the shell-like value text MongoDB uses in error messages.</summary>
internal static class BsonText
{
    /// <summary>Type alias names as used by $type and the aggregation $type operator.</summary>
    public static string TypeName(BsonValue? v) => v is null ? "missing" : v.BsonType switch
    {
        BsonType.Double => "double",
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Binary => "binData",
        BsonType.Undefined => "undefined",
        BsonType.ObjectId => "objectId",
        BsonType.Boolean => "bool",
        BsonType.DateTime => "date",
        BsonType.Null => "null",
        BsonType.RegularExpression => "regex",
        BsonType.JavaScript => "javascript",
        BsonType.Symbol => "symbol",
        BsonType.JavaScriptWithScope => "javascriptWithScope",
        BsonType.Int32 => "int",
        BsonType.Timestamp => "timestamp",
        BsonType.Int64 => "long",
        BsonType.Decimal128 => "decimal",
        BsonType.MinKey => "minKey",
        BsonType.MaxKey => "maxKey",
        _ => "unknown",
    };

    /// <summary>Formats a value in the shell-like style MongoDB uses in error messages.</summary>
    public static string Format(BsonValue? v)
    {
        var sb = new StringBuilder();
        Format(sb, v);
        return sb.ToString();
    }

    private static void Format(StringBuilder sb, BsonValue? v)
    {
        if (v is null)
        {
            sb.Append("MissingField");
            return;
        }

        switch (v.BsonType)
        {
            case BsonType.String:
                sb.Append('"').Append(v.AsString.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case BsonType.Int32:
                sb.Append(v.AsInt32.ToString(CultureInfo.InvariantCulture));
                break;
            case BsonType.Int64:
                sb.Append(v.AsInt64.ToString(CultureInfo.InvariantCulture));
                break;
            case BsonType.Double:
                sb.Append(v.AsDouble.ToString("R", CultureInfo.InvariantCulture));
                break;
            case BsonType.Decimal128:
                sb.Append(v.AsDecimal128.ToString());
                break;
            case BsonType.Boolean:
                sb.Append(v.AsBoolean ? "true" : "false");
                break;
            case BsonType.Null:
                sb.Append("null");
                break;
            case BsonType.ObjectId:
                sb.Append("ObjectId('").Append(v.AsObjectId.ToString()).Append("')");
                break;
            case BsonType.DateTime:
                sb.Append("new Date(").Append(v.AsBsonDateTime.MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture)).Append(')');
                break;
            case BsonType.Document:
                {
                    var d = v.AsBsonDocument;
                    if (d.ElementCount == 0)
                    {
                        sb.Append("{}");
                        break;
                    }

                    sb.Append("{ ");
                    var first = true;
                    foreach (var e in d)
                    {
                        if (!first)
                        {
                            sb.Append(", ");
                        }

                        first = false;
                        sb.Append(e.Name).Append(": ");
                        Format(sb, e.Value);
                    }

                    sb.Append(" }");
                    break;
                }

            case BsonType.Array:
                {
                    sb.Append("[ ");
                    var first = true;
                    foreach (var e in v.AsBsonArray)
                    {
                        if (!first)
                        {
                            sb.Append(", ");
                        }

                        first = false;
                        Format(sb, e);
                    }

                    sb.Append(" ]");
                    break;
                }

            default:
                sb.Append(v.ToString());
                break;
        }
    }
}
