namespace TaskFlow.MongoStandIn;

internal static class ErrorCodes
{
    public const int InternalError = 1;
    public const int BadValue = 2;
    public const int FailedToParse = 9;
    public const int TypeMismatch = 14;
    public const int IllegalOperation = 20;
    public const int NamespaceNotFound = 26;
    public const int IndexNotFound = 27;
    public const int PathNotViable = 28;
    public const int ConflictingUpdateOperators = 40;
    public const int CursorNotFound = 43;
    public const int NamespaceExists = 48;
    public const int CommandNotFound = 59;
    public const int ImmutableField = 66;
    public const int CannotCreateIndex = 67;
    public const int InvalidOptions = 72;
    public const int InvalidNamespace = 73;
    public const int IndexOptionsConflict = 85;
    public const int IndexKeySpecsConflict = 86;
    public const int InvalidIdField = 53;
    public const int InvalidPipelineOperator = 168;
    public const int NotImplemented = 238;
    public const int DuplicateKey = 11000;
    public const int UnknownField = 40415;
    public const int UnrecognizedStage = 40324;
    public const int UnknownGroupOperator = 15952;
    public const int BsonObjectTooLarge = 10334;
    public const int IndexAlreadyExists = 68;
    public const int Unauthorized = 13;

    public static string NameOf(int code) => code switch
    {
        InternalError => "InternalError",
        BadValue => "BadValue",
        FailedToParse => "FailedToParse",
        TypeMismatch => "TypeMismatch",
        IllegalOperation => "IllegalOperation",
        NamespaceNotFound => "NamespaceNotFound",
        IndexNotFound => "IndexNotFound",
        PathNotViable => "PathNotViable",
        ConflictingUpdateOperators => "ConflictingUpdateOperators",
        CursorNotFound => "CursorNotFound",
        NamespaceExists => "NamespaceExists",
        CommandNotFound => "CommandNotFound",
        ImmutableField => "ImmutableField",
        CannotCreateIndex => "CannotCreateIndex",
        InvalidOptions => "InvalidOptions",
        InvalidNamespace => "InvalidNamespace",
        IndexOptionsConflict => "IndexOptionsConflict",
        IndexKeySpecsConflict => "IndexKeySpecsConflict",
        InvalidIdField => "InvalidIdField",
        InvalidPipelineOperator => "InvalidPipelineOperator",
        NotImplemented => "NotImplemented",
        DuplicateKey => "DuplicateKey",
        BsonObjectTooLarge => "BSONObjectTooLarge",
        IndexAlreadyExists => "IndexAlreadyExists",
        Unauthorized => "Unauthorized",
        _ => "Location" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
