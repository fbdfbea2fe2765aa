using PaxosLabs.Node;

namespace PaxosLabs.Node.Tests;

/// <summary>A demo of an unfinished stage names the missing task in one line (issue: the student's first hour).</summary>
public class StubReachedTests
{
    [Fact]
    public void A_stub_is_named_even_inside_other_exceptions()
    {
        var stub = new NotImplementedException("TODO(3.2): The timeout procedure. See assignments/03-detectors/README.md, task 3.2.");
        Assert.Equal("error: this command runs code of a task that is not done yet, " + stub.Message, StubReached.Describe(stub));
        Assert.Equal(StubReached.Describe(stub), StubReached.Describe(new InvalidOperationException("wrapped", stub)));
        Assert.Equal(StubReached.Describe(stub), StubReached.Describe(new AggregateException(new IOException("other"), new TaskCanceledException("t", stub))));
    }

    [Fact]
    public void Other_failures_are_not_taken_for_a_stub()
    {
        Assert.Null(StubReached.Describe(new NotImplementedException("not a task")));
        Assert.Null(StubReached.Describe(new IOException("disk full", new InvalidOperationException("x"))));
    }
}
