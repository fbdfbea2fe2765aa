using System.Threading.Channels;

namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The client handler of a replica: it keeps, under a lock, the map (ClientId, ClientSeq) → the
/// waiting request, completes a waiting request when its command is executed, and queues values
/// for the proposer (capacity Alpha) while this replica leads.
/// </summary>
public sealed class ClientHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string ClientId, ulong ClientSeq), WaitingRequest> _waiting = [];
    private long _arrivals;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Func<Value, Response?> _answered;

    /// <param name="answered">
    /// The session table: the response of a request that has run already (its cached result, or an
    /// error when a later request of its client ran), else null. None: nothing has run.
    /// </param>
    public ClientHandler(int alpha, TimeProvider time, TimeSpan requestTimeout, Func<Value, Response?>? answered = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 1);
        Queue = Channel.CreateBounded<Value>(new BoundedChannelOptions(alpha) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _time = time;
        _timeout = requestTimeout;
        _answered = answered ?? (_ => null);
    }

    /// <summary>Client values for the proposer, in arrival order.</summary>
    public Channel<Value> Queue { get; }

    /// <summary>How many requests wait for their execution.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>The requests that wait for execution, oldest first.</summary>
    public IReadOnlyList<Value> Waiting()
    {
        lock (_gate)
        {
            return [.. _waiting.Values.OrderBy(w => w.Order).Select(w => w.Request)];
        }
    }

    /// <summary>
    /// Waits until <paramref name="request"/> is executed and returns its response (at once when the
    /// session table has it); past the request deadline, an error response (the entry is removed;
    /// the client retries).
    /// <paramref name="enqueue"/> says whether this replica leads and should queue the value.
    /// </summary>
    public async Task<Response> HandleAsync(Value request, bool enqueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // BEGIN TODO(4.6): Client handler: under the lock, register the request in the waiting map (reuse the entry when the same (ClientId, ClientSeq) already waits). Only then ask the session table (_answered): if the command has run already, Complete the entry with that response (it ran before the entry existed, so nobody woke it). Otherwise, when enqueue is true, write the value to Queue (await: the queue holds at most Alpha). Then wait for the entry's completion or the request deadline (RequestTimeout on the TimeProvider), whichever comes first. On the deadline, remove the entry under the lock and return an error Response for this ClientId and ClientSeq.
        WaitingRequest entry;
        lock (_gate)
        {
            var key = (request.ClientId, request.ClientSeq);
            if (!_waiting.TryGetValue(key, out entry!))
            {
                entry = new WaitingRequest(request, _arrivals++);
                _waiting.Add(key, entry);
            }
        }

        // Registered first, asked second: a command that runs at any moment either is seen here or finds the entry in Complete.
        if (_answered(request) is { } ran)
        {
            Complete(ran);
        }
        else if (enqueue)
        {
            await Queue.Writer.WriteAsync(request, cancellationToken);
        }

        try
        {
            return await entry.Done.Task.WaitAsync(_timeout, _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (_waiting.TryGetValue((request.ClientId, request.ClientSeq), out var current) && current == entry)
                {
                    _waiting.Remove((request.ClientId, request.ClientSeq));
                }
            }

            return new Response { ClientId = request.ClientId, ClientSeq = request.ClientSeq, Error = "the request was not executed before its deadline; retry with the same ClientSeq" };
        }
        // END TODO(4.6)
    }

    /// <summary>A command ran: the request waiting for it (if any) completes with <paramref name="response"/>.</summary>
    public void Complete(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // BEGIN TODO(4.6): Under the lock, remove the waiting entry of (ClientId, ClientSeq), if any; then, outside the lock, complete it with the response.
        WaitingRequest? entry;
        lock (_gate)
        {
            _waiting.Remove((response.ClientId, response.ClientSeq), out entry);
        }

        entry?.Done.TrySetResult(response);
        // END TODO(4.6)
    }

    private sealed class WaitingRequest(Value request, long order)
    {
        public Value Request { get; } = request;

        public long Order { get; } = order;

        public TaskCompletionSource<Response> Done { get; } = new();
    }
}
