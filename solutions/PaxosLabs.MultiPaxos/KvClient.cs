using PaxosLabs.Gorums;

namespace PaxosLabs.MultiPaxos;

/// <summary>Settings of a key-value client.</summary>
public sealed class KvClientOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long one operation may take, retries included.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>
/// A client of the replicated store: each operation is a quorum call to every replica, retried
/// with the same ClientSeq (so it runs once) until it succeeds or its deadline passes.
/// </summary>
public sealed class KvClient(string clientId, MultiPaxosConfiguration replicas, KvClientOptions? options = null)
{
    private readonly KvClientOptions _options = options ?? new KvClientOptions();
    private ulong _seq;

    public string ClientId { get; } = clientId;

    public Task<string> GetAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Get, Key = key }, cancellationToken);

    public Task<string> PutAsync(string key, string value, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Put, Key = key, Value = value }, cancellationToken);

    public Task<string> AppendAsync(string key, string suffix, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Append, Key = key, Value = suffix }, cancellationToken);

    /// <summary>Runs one command; the result is the value read, or the value after a put or append.</summary>
    public async Task<string> RunAsync(KvCommand command, CancellationToken cancellationToken = default)
    {
        var request = new Value { ClientId = ClientId, ClientSeq = ++_seq, Command = command };
        using var deadline = new CancellationTokenSource(_options.Deadline, _options.TimeProvider);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            try
            {
                return (await replicas.ClientHandleAsync(request, both.Token)).Result;
            }
            catch (QuorumCallException e) when (e.Cause != QuorumCallError.Cancelled)
            {
                // no quorum answered in time (a leader change, a lost message): retry the same request
            }
            catch (QuorumCallException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{ClientId}: request {request.ClientSeq} ({command.Op} {command.Key}) did not complete within {_options.Deadline}.");
            }

            await Task.Delay(_options.RetryDelay, _options.TimeProvider, both.Token);
        }
    }
}
