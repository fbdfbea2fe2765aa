namespace PaxosLabs.Generator.Tests.EndToEnd;

internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test after 10 s.</summary>
    public static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>Awaits a task; fails the test if it takes more than 10 s.</summary>
    public static async Task WithinAsync(Task task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Limit));
        Assert.True(finished == task, $"Timed out waiting for: {what}");
        await task;
    }

    /// <summary>Awaits a task; fails the test if it takes more than 10 s.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Limit));
        Assert.True(finished == task, $"Timed out waiting for: {what}");
        return await task;
    }
}
