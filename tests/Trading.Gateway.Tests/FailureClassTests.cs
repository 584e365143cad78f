using Trading.Gateway.Calls;

namespace Trading.Gateway.Tests;

public sealed class FailureClassTests
{
    [Theory]
    [InlineData(FailureClass.RateLimited, true, false)]
    [InlineData(FailureClass.ServerError, true, false)]
    [InlineData(FailureClass.Timeout, true, false)]
    [InlineData(FailureClass.Connection, true, false)]
    [InlineData(FailureClass.ContextLength, false, false)]
    [InlineData(FailureClass.Unauthorized, false, true)]
    [InlineData(FailureClass.Forbidden, false, true)]
    [InlineData(FailureClass.InvalidRequest, false, true)]
    public void Failure_classes_decide_retry_and_stop(FailureClass c, bool retry, bool fatal)
    {
        Assert.Equal(retry, c.IsRetryable());
        Assert.Equal(fatal, c.IsFatal());
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":\"context_length_exceeded\"}}", true)]
    [InlineData("This model's maximum context length is 8192 tokens", true)]
    [InlineData("{\"error\":{\"code\":\"invalid_value\"}}", false)]
    public void Context_length_errors_are_recognised(string body, bool expected) =>
        Assert.Equal(expected, FailureClassification.LooksLikeContextLength(body));
}
