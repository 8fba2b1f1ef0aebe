namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>The statement loop of insert, update and delete.</summary>
internal static class WriteBatch
{
    /// <summary>Runs <paramref name="apply"/> per statement, recording a write error for each failed one; an ordered batch stops at the first.</summary>
    public static void Run(BsonArray statements, bool ordered, BsonArray writeErrors, Action<BsonValue, int> apply)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                apply(statements[i], i);
            }
            catch (CommandError e)
            {
                writeErrors.Add(e.ToWriteError(i));
                if (ordered)
                {
                    break;
                }
            }
        }
    }
}
