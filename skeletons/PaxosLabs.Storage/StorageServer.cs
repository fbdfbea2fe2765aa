using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Storage;

/// <summary>One storage node: it keeps the value with the highest timestamp it has been sent.</summary>
public sealed class StorageServer : StorageServerBase
{
    private readonly Lock _gate = new();
    private State _state = new();

    /// <summary>The node's current value (a copy).</summary>
    public State State
    {
        get
        {
            lock (_gate)
            {
                return _state.Clone();
            }
        }
    }

    public override Task<State> Read(ReadRequest request, ServerContext context) => Task.FromResult(State);

    public override Task<WriteResponse> Write(State request, ServerContext context) =>
        Task.FromResult(new WriteResponse { New = Store(request) });

    public override Task WriteAll(State request, ServerContext context)
    {
        Store(request);
        return Task.CompletedTask;
    }

    private bool Store(State state)
    {
        lock (_gate)
        {
            if (state.Timestamp <= _state.Timestamp)
            {
                return false;
            }

            _state = state.Clone();
            return true;
        }
    }
}
