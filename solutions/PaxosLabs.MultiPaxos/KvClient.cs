using PaxosLabs.Gorums;

namespace PaxosLabs.MultiPaxos;

/// <summary>Where a key-value client sends its requests (protocol §4.5).</summary>
public enum KvClientMode
{
    /// <summary>Every request to every replica, done at a quorum of answers (ClientHandleQF).</summary>
    AllReplicas,

    /// <summary>
    /// Each request to the one replica the client believes leads, done at its answer; the answer
    /// names the leader that replica trusts, and the next request goes there. Without a leader
    /// to try, or when it does not answer within <see cref="KvClientOptions.LeaderTimeout"/>, the
    /// request goes to every replica as in <see cref="AllReplicas"/>.
    /// </summary>
    LeaderDirect,
}

/// <summary>Settings of a key-value client.</summary>
public sealed class KvClientOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long one operation may take, retries included.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public KvClientMode Mode { get; init; } = KvClientMode.AllReplicas;

    /// <summary>Leader-direct: how long the believed leader has to answer before the request goes to every replica.</summary>
    public TimeSpan LeaderTimeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// A client of the replicated store. Each operation is sent with the next ClientSeq and retried
/// with the same one (so it runs once) until it succeeds or its deadline passes: to every replica
/// (a quorum call), or leader-direct to the replica believed to lead (see <see cref="KvClientMode"/>).
/// One operation at a time per client.
/// </summary>
public sealed class KvClient
{
    private MultiPaxosConfiguration _replicas;
    private ulong _configurationFrom = 1; // stage 6: the first slot of the configuration _replicas holds
    private readonly KvClientOptions _options;
    private readonly Dictionary<uint, MultiPaxosConfiguration> _direct = [];
    private ulong _seq;
    private uint? _leader;

    public KvClient(string clientId, MultiPaxosConfiguration replicas, KvClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ClientId = clientId;
        _replicas = replicas;
        _options = options ?? new KvClientOptions();
    }

    public string ClientId { get; }

    /// <summary>Leader-direct: the replica the next request goes to, or null (to every replica).</summary>
    public uint? BelievedLeader => _leader;

    public Task<string> GetAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Get, Key = key }, cancellationToken);

    public Task<string> PutAsync(string key, string value, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Put, Key = key, Value = value }, cancellationToken);

    public Task<string> AppendAsync(string key, string suffix, CancellationToken cancellationToken = default) =>
        RunAsync(new KvCommand { Op = KvCommand.Types.Op.Append, Key = key, Value = suffix }, cancellationToken);

    /// <summary>The replicas this client sends to (stage 6: it follows the store's reconfigurations).</summary>
    public IReadOnlyList<uint> Replicas => _replicas.Configuration.NodeIds;

    /// <summary>Runs one command; the result is the value read, or the value after a put or append.</summary>
    public Task<string> RunAsync(KvCommand command, CancellationToken cancellationToken = default) =>
        RunAsync(new Value { ClientId = ClientId, ClientSeq = ++_seq, Command = command }, cancellationToken);

    /// <summary>
    /// Stage 6: asks the store to run its slots with the replicas of <paramref name="members"/>
    /// (every one of them among the nodes the replicas were given), α slots after the one the
    /// change is decided in. Returns once the change has run; the client then sends to them.
    /// </summary>
    public async Task ReconfigureAsync(Membership members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var request = new Value { ClientId = ClientId, ClientSeq = ++_seq, Reconfigure = members.Clone() };
        await RunAsync(request, cancellationToken);
    }

    /// <summary>What a request asks, for its timeout message: "Put color", "reconfigure to {1, 2, 3}".</summary>
    private static string Describe(Value request) => request.Reconfigure is { } members
        ? $"reconfigure to {{{string.Join(", ", members.Nodes.Keys.Order())}}}"
        : $"{request.Command.Op} {request.Command.Key}";

    private async Task<string> RunAsync(Value request, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.Deadline, _options.TimeProvider);
        // A linked source only when the caller's token can fire too (most callers pass none).
        using var both = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken) : null;
        var token = both?.Token ?? deadline.Token;
        while (true)
        {
            try
            {
                if (await TryOnceAsync(request, token) is { } result)
                {
                    return result;
                }

                continue; // the believed leader could not answer: every replica, at once
            }
            catch (QuorumCallException e) when (e.Cause != QuorumCallError.Cancelled)
            {
                // no quorum answered in time (a leader change, a lost message): retry the same request
            }
            catch (QuorumCallException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{ClientId}: request {request.ClientSeq} ({Describe(request)}) did not complete within {_options.Deadline}.");
            }

            await Task.Delay(_options.RetryDelay, _options.TimeProvider, token);
        }
    }

    /// <summary>
    /// One try: leader-direct when a leader is believed (null when it did not answer in time or
    /// answered with an error; it is then no longer believed), else every replica.
    /// </summary>
    private async Task<string?> TryOnceAsync(Value request, CancellationToken cancellationToken)
    {
        if (_options.Mode == KvClientMode.LeaderDirect && _leader is { } leader)
        {
            Response response;
            try
            {
                response = await Direct(leader).ClientHandleAsync(request, cancellationToken);
            }
            catch (QuorumCallException e) when (e.Cause != QuorumCallError.Cancelled)
            {
                _leader = null;
                return null;
            }

            // An error (the request waited past the replica's deadline): that replica may lead alone
            // on the wrong side of a partition, so the retry asks every replica, not its hint.
            Follow(response);
            _leader = response.Error.Length == 0 ? LeaderNamedBy(response) : null;
            return response.Error.Length == 0 ? response.Result : null;
        }

        var answer = await _replicas.ClientHandleAsync(request, cancellationToken);
        Follow(answer);
        _leader = LeaderNamedBy(answer);
        return answer.Result;
    }

    /// <summary>Stage 6: a response naming a newer configuration than the client's: send to its replicas from now on.</summary>
    private void Follow(Response response)
    {
        if (response.Configuration is not { } epoch || epoch.FromSlot <= _configurationFrom || epoch.Members.Nodes.Count == 0)
        {
            return;
        }

        var nodes = epoch.Members.Nodes.OrderBy(n => n.Key);
        _replicas = new MultiPaxosConfiguration(_replicas.Configuration.Manager.NewConfiguration(nodes), new PaxosQSpec(epoch.Members.Nodes.Count)) { Timeout = _replicas.Timeout };
        _configurationFrom = epoch.FromSlot;
        _direct.Clear();
    }

    private uint? LeaderNamedBy(Response response) =>
        _options.Mode == KvClientMode.LeaderDirect && response.HasLeader && _replicas.Configuration.Contains(response.Leader) ? response.Leader : null;

    /// <summary>The configuration of one replica, done at its answer, cut off after <see cref="KvClientOptions.LeaderTimeout"/>.</summary>
    private MultiPaxosConfiguration Direct(uint id)
    {
        if (!_direct.TryGetValue(id, out var direct))
        {
            var one = _replicas.Configuration.Without([.. _replicas.Configuration.NodeIds.Where(n => n != id)]);
            direct = new MultiPaxosConfiguration(one, new FirstAnswer(_replicas.QSpec)) { Timeout = _options.LeaderTimeout };
            _direct[id] = direct;
        }

        return direct;
    }

    /// <summary>The replicas' quorum functions, but a client request is done at the first answer for it, error or not.</summary>
    private sealed class FirstAnswer(IMultiPaxosQSpec inner) : IMultiPaxosQSpec
    {
        public (Response? Result, bool Done) ClientHandleQF(Value request, IReadOnlyDictionary<uint, Response> replies) =>
            replies.Values.FirstOrDefault(r => r.ClientId == request.ClientId && r.ClientSeq == request.ClientSeq) is { } answer ? (answer, true) : (null, false);

        public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies) => inner.PrepareQF(request, replies);

        public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies) => inner.AcceptQF(request, replies);

        public (CatchupReply? Result, bool Done) CatchupQF(CatchupRequest request, IReadOnlyDictionary<uint, CatchupReply> replies) => inner.CatchupQF(request, replies);
    }
}
