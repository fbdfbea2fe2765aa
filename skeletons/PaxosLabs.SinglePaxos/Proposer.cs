using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PaxosLabs.Gorums;

namespace PaxosLabs.SinglePaxos;

/// <summary>
/// The proposer of single-decree Paxos. <see cref="ProposeAsync"/> runs phase 1 (Prepare) and
/// phase 2 (Accept) as quorum calls and, once a value is chosen, multicasts Commit to every node.
/// A failed phase is retried in a higher round after a random backoff, until a value is chosen.
/// </summary>
public sealed partial class Proposer
{
    private readonly Lock _gate = new();
    private readonly List<long> _rounds = [];
    private readonly Configuration _configuration;
    private readonly IPaxosQSpec _qspec;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ProposerOptions _options;
    private readonly ILogger _logger;
    private long _crnd = Rounds.NoRound;
    private long _highestSeen = Rounds.NoRound;

    /// <param name="id">This proposer's id: its first round, and its rounds stay ≡ id (mod n).</param>
    /// <param name="configuration">Every acceptor; n is its size. Commit goes to all of them.</param>
    /// <param name="qspec">The quorum functions (a <see cref="PaxosQSpec"/> of n).</param>
    /// <param name="timeProvider">The clock for backoffs (call deadlines use the manager's clock).</param>
    /// <param name="random">Draws the backoffs; seed it so a run can be replayed.</param>
    public Proposer(uint id, Configuration configuration, IPaxosQSpec qspec, TimeProvider timeProvider, Random random, ProposerOptions? options = null, ILogger? logger = null)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _qspec = qspec ?? throw new ArgumentNullException(nameof(qspec));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _options = options ?? new ProposerOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        Id = id;
    }

    public uint Id { get; }

    /// <summary>How many acceptors there are: each increase of the round adds n.</summary>
    public int N => _configuration.Count;

    /// <summary>The round of the latest attempt; <see cref="Rounds.NoRound"/> before the first.</summary>
    public long Crnd
    {
        get
        {
            lock (_gate)
            {
                return _crnd;
            }
        }
    }

    /// <summary>Every round this proposer has tried, in order.</summary>
    public IReadOnlyList<long> RoundsTried
    {
        get
        {
            lock (_gate)
            {
                return [.. _rounds];
            }
        }
    }

    /// <summary>
    /// Gets a value chosen: <paramref name="value"/>, or the value an earlier round may already
    /// have chosen. Multicasts Commit to every node and returns the chosen value. Retries until a
    /// value is chosen; only <paramref name="cancellationToken"/> stops it
    /// (<see cref="OperationCanceledException"/>).
    /// </summary>
    /// <param name="value">A non-empty value ("" means "no value" in the messages).</param>
    public async Task<string> ProposeAsync(string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        for (var failures = 0; ; failures++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var crnd = StartRound();

            // A NACK carries the round to beat, but a quorum function that is not done cannot hand
            // back anything, and a failed call only says why it failed. So each attempt wraps the
            // quorum functions in a RoundWatcher that notes the highest round in any reply it is
            // shown and otherwise passes the call through unchanged: PaxosQSpec stays pure and
            // exactly as docs/protocol.md §2.3 and §2.4 say, and the proposer reads the round
            // after the call.
            var watcher = new RoundWatcher(_qspec);
            var client = new PaxosConfiguration(_configuration, watcher) { Timeout = _options.CallTimeout };
            try
            {
                var promise = await client.PrepareAsync(new PrepareMsg { Crnd = crnd }, cancellationToken);
                var chosen = ChooseValue(promise, value);
                Log.Accepting(_logger, Id, crnd, chosen, promise.Vrnd);
                var learn = await client.AcceptAsync(new AcceptMsg { Rnd = crnd, Val = chosen }, cancellationToken);
                Observe(watcher.HighestRound);
                await client.CommitAsync(learn, cancellationToken);
                Log.Chosen(_logger, Id, learn.Rnd, learn.Val);
                return learn.Val;
            }
            catch (QuorumCallException e) when (e.Cause is QuorumCallError.Incomplete or QuorumCallError.DeadlineExceeded)
            {
                Observe(watcher.HighestRound);
                Log.RoundFailed(_logger, Id, crnd, e.Cause, watcher.HighestRound);
            }
            catch (QuorumCallException e) when (e.Cause is QuorumCallError.Cancelled)
            {
                throw new OperationCanceledException($"Proposer {Id} was cancelled in round {crnd}.", e, cancellationToken);
            }

            await Task.Delay(Backoff(failures), _time, cancellationToken);
        }
    }

    /// <summary>
    /// The value to propose after phase 1: the value of the vote the quorum reported (the
    /// promise of <see cref="PaxosQSpec.PrepareQF"/> carries the highest-round vote), or this
    /// proposer's own value when no vote was reported.
    /// </summary>
    public static string ChooseValue(PromiseMsg promise, string ownValue)
    {
        ArgumentNullException.ThrowIfNull(promise);

        // TODO(2.5): ChooseValue: if the promise reports a vote (Vrnd is not NoRound), that value may already be chosen: return the promise's Vval instead of ownValue. Otherwise return ownValue.
        throw new NotImplementedException("TODO(2.5): ChooseValue: if the promise reports a vote (Vrnd is not NoRound), that value may already be chosen: return the promise's Vval instead of ownValue. Otherwise return ownValue. See assignments/02-single-paxos/README.md, task 2.5.");
    }

    /// <summary>
    /// The round of the next attempt after round <paramref name="crnd"/> failed: the smallest
    /// crnd + k·n with k ≥ 1 that is greater than <paramref name="highestSeen"/>, the highest round
    /// seen in any reply (NACKs carry the round to beat). Rounds stay unique to the proposer.
    /// </summary>
    public static long NextRound(long crnd, long highestSeen, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);

        // TODO(2.5): NextRound: increase crnd by n at least once, and keep adding n until the round is greater than highestSeen (do it with arithmetic, not one step at a time: a NACK may name a round far ahead).
        throw new NotImplementedException("TODO(2.5): NextRound: increase crnd by n at least once, and keep adding n until the round is greater than highestSeen (do it with arithmetic, not one step at a time: a NACK may name a round far ahead). See assignments/02-single-paxos/README.md, task 2.5.");
    }

    /// <summary>Takes a fresh round: the id at first, then one above every round seen so far.</summary>
    private long StartRound()
    {
        lock (_gate)
        {
            // Under the lock, so concurrent proposals of one proposer never share a round: a
            // round is never reused, not even by a later call of ProposeAsync.
            _crnd = _crnd == Rounds.NoRound ? Id : NextRound(_crnd, _highestSeen, N);
            _rounds.Add(_crnd);
            Log.Preparing(_logger, Id, _crnd);
            return _crnd;
        }
    }

    private void Observe(long round)
    {
        lock (_gate)
        {
            _highestSeen = Math.Max(_highestSeen, round);
        }
    }

    /// <summary>A random wait in [MinBackoff, window): the window doubles with each failure up to MaxBackoff.</summary>
    private TimeSpan Backoff(int failures)
    {
        var min = _options.MinBackoff.Ticks;
        var window = Math.Min(_options.MaxBackoff.Ticks, min * (1L << Math.Min(failures, 20)));
        return TimeSpan.FromTicks(min + (long)(_random.NextDouble() * (window - min)));
    }

    /// <summary>Passes calls through to the quorum functions and notes the highest round any reply names.</summary>
    private sealed class RoundWatcher(IPaxosQSpec inner) : IPaxosQSpec
    {
        public long HighestRound { get; private set; } = Rounds.NoRound;

        public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies)
        {
            foreach (var reply in replies.Values)
            {
                HighestRound = Math.Max(HighestRound, reply.Rnd);
            }

            return inner.PrepareQF(request, replies);
        }

        public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies)
        {
            foreach (var reply in replies.Values)
            {
                HighestRound = Math.Max(HighestRound, reply.Rnd);
            }

            return inner.AcceptQF(request, replies);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Proposer {Id}: prepare in round {Round}")]
        public static partial void Preparing(ILogger logger, uint id, long round);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Proposer {Id}: accept \"{Value}\" in round {Round} (reported vote from round {Vrnd})")]
        public static partial void Accepting(ILogger logger, uint id, long round, string value, long vrnd);

        [LoggerMessage(Level = LogLevel.Information, Message = "Proposer {Id}: round {Round} failed ({Cause}); highest round seen {Highest}")]
        public static partial void RoundFailed(ILogger logger, uint id, long round, QuorumCallError cause, long highest);

        [LoggerMessage(Level = LogLevel.Information, Message = "Proposer {Id}: \"{Value}\" chosen in round {Round}")]
        public static partial void Chosen(ILogger logger, uint id, long round, string value);
    }
}
