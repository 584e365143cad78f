using Azure;

namespace Trading.Storage.Tables;

/// <summary>A conditional write lost the race: the entity's ETag no longer matched (HTTP 412).</summary>
public class TableConcurrencyException : RequestFailedException
{
    public TableConcurrencyException(string message, string? errorCode = "UpdateConditionNotSatisfied", Exception? innerException = null)
        : base(412, message, errorCode, innerException)
    {
    }

    public TableConcurrencyException()
        : this("The entity was changed since it was read (ETag mismatch).")
    {
    }

    public TableConcurrencyException(string message)
        : this(message, "UpdateConditionNotSatisfied")
    {
    }

    public TableConcurrencyException(string message, Exception innerException)
        : this(message, "UpdateConditionNotSatisfied", innerException)
    {
    }
}

/// <summary>An entity group transaction was rejected; nothing of it was written.</summary>
public class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException(int status, string message, string? errorCode, int? failedOperationIndex, Exception? innerException = null)
        : base(status, message, errorCode, innerException)
    {
        FailedOperationIndex = failedOperationIndex;
    }

    public TableTransactionFailedException()
        : this(0, "The transaction failed.", null, null)
    {
    }

    public TableTransactionFailedException(string message)
        : this(0, message, null, null)
    {
    }

    public TableTransactionFailedException(string message, Exception innerException)
        : this(0, message, null, null, innerException)
    {
    }

    /// <summary>Zero-based index of the operation the service reported as failing, when it named one.</summary>
    public int? FailedOperationIndex { get; }
}
