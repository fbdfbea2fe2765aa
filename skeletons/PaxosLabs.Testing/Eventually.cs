namespace PaxosLabs.Testing;

/// <summary>
/// Waits for a condition instead of sleeping: a test passes as soon as the condition holds and
/// fails only when it has not held for a generous bound, so a slow machine never fails a test.
/// </summary>
public static class Eventually
{
    /// <summary>The bound: long enough for any machine, short enough that a hung test still ends.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Returns once <paramref name="condition"/> holds; throws naming <paramref name="what"/> after the bound.</summary>
    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = bound ?? DefaultBound;
        var start = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for: {what}. It never happened.");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Awaits a task, failing with a message naming <paramref name="what"/> when it takes longer than the bound.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var limit = bound ?? DefaultBound;
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for: {what}. It never completed.");
        }
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, string, TimeSpan?)"/>
    public static async Task WithinAsync(Task task, string what, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var limit = bound ?? DefaultBound;
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for: {what}. It never completed.");
        }
    }
}
