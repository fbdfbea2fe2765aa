using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Simulation;

/// <summary>
/// Runs the real asynchronous code of many nodes on one thread, in virtual time, with one seeded
/// PRNG deciding every choice: which ready node runs next, message delays (and so their order),
/// drops, duplicates. The same seed and code give the same run, event for event.
/// </summary>
public sealed class Simulator : IDeliveryScheduler
{
    private readonly PriorityQueue<ScheduledEvent, (TimeSpan, long)> _events = new();
    private readonly Dictionary<string, SimNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<SimNode> _order = [];
    private readonly HashSet<(string From, string To)> _blocked = [];
    private readonly Random _random;
    private readonly Lock _escapeGate = new();
    private string? _escape;
    private long _eventOrder;
    private long _messageIds;
    private int _thread = -1;

    public Simulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Faults.Validate();
        Options = options;
        _random = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        Network = new InMemoryNetwork(this);
        if (options.Faults.StableAfter != TimeSpan.MaxValue)
        {
            At(options.Faults.StableAfter, "the network becomes stable", Heal);
        }
    }

    public SimulationOptions Options { get; }

    public long Seed => Options.Seed;

    public InMemoryNetwork Network { get; }

    /// <summary>Virtual time since the start of the run.</summary>
    public TimeSpan Now { get; private set; }

    /// <summary>Steps taken: each continuation, timer, delivery or scripted action is one step.</summary>
    public long Steps { get; private set; }

    public Trace Trace { get; } = new();

    /// <summary>How many drops and duplicates the PRNG chose so far, kept or not (their ordinals are what <see cref="SimulationOptions.KeptFaults"/> names).</summary>
    public long FaultsDrawn { get; private set; }

    /// <summary>How many drops and duplicates actually happened.</summary>
    public long FaultsKept { get; private set; }

    public IReadOnlyList<SimNode> Nodes => _order;

    public SimNode this[string name] =>
        _nodes.TryGetValue(name, out var node) ? node : throw new ArgumentException($"Unknown node '{name}'.", nameof(name));

    private bool Stable => Now >= Options.Faults.StableAfter;

    /// <summary>Adds and starts a node; <paramref name="start"/> builds its process inside the node.</summary>
    public SimNode AddNode(string name, uint id, Func<SimEnvironment, SimProcess> start)
    {
        Network.ValidateAddress(name);
        ArgumentNullException.ThrowIfNull(start);
        if (_nodes.ContainsKey(name))
        {
            throw new ArgumentException($"Node '{name}' exists already.", nameof(name));
        }

        var node = new SimNode(name, id, start);
        _nodes.Add(name, node);
        _order.Add(node);
        Boot(node);
        return node;
    }

    /// <summary>Runs <paramref name="action"/> as a step of a node; the task completes inside the run.</summary>
    public Task<T> InvokeAsync<T>(string node, Func<Task<T>> action, string? description = null)
    {
        var target = this[node];
        var done = new TaskCompletionSource<T>();
        var incarnation = target.Current ?? throw new InvalidOperationException($"Node {node} is down.");
        incarnation.Enqueue(() =>
        {
            Record(new TraceEvent(Steps, Now, TraceKind.Invoke, node, Detail: description));
            _ = ForwardAsync(action, done);
        });
        return done.Task;
    }

    /// <summary>Adds a protocol-level note to the trace (e.g. "decided v in round 3").</summary>
    public void Note(string node, string text) => Record(new TraceEvent(Steps, Now, TraceKind.Note, node, Detail: text));

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="time"/> (a scripted fault schedule).</summary>
    public void At(TimeSpan time, string description, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ScheduleAt(time < Now ? Now : time, () =>
        {
            Record(new TraceEvent(Steps, Now, TraceKind.Note, "sim", Detail: description));
            action();
        });
    }

    /// <summary>The node stops at once: queued work, timers, connections and its state are gone.</summary>
    public void Crash(string name)
    {
        var node = this[name];
        if (node.Current is not { } life)
        {
            return;
        }

        Record(new TraceEvent(Steps, Now, TraceKind.Crash, name));
        life.Crash();
        node.Current = null;
        node.Process = null;
        var scope = EnterScope();
        try
        {
            Network.Stop(name);
            Network.Disconnect(name);
        }
        finally
        {
            _thread = scope;
        }
    }

    /// <summary>Starts a crashed node again with fresh state.</summary>
    public void Restart(string name)
    {
        var node = this[name];
        if (node.IsUp)
        {
            throw new InvalidOperationException($"Node {name} is running; crash it before restarting it.");
        }

        Record(new TraceEvent(Steps, Now, TraceKind.Restart, name));
        Boot(node);
    }

    /// <summary>Blocks messages from every node of <paramref name="from"/> to every node of <paramref name="to"/> (and back unless one-way).</summary>
    public void Partition(IEnumerable<string> from, IEnumerable<string> to, bool oneWay = false)
    {
        var a = from.ToList();
        var b = to.ToList();
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                _blocked.Add((x, y));
                if (!oneWay)
                {
                    _blocked.Add((y, x));
                }
            }
        }

        Record(new TraceEvent(Steps, Now, TraceKind.Partition, "sim", Detail: $"{{{string.Join(",", a)}}} {(oneWay ? "->" : "<->")} {{{string.Join(",", b)}}}"));
    }

    public void Heal()
    {
        _blocked.Clear();
        Record(new TraceEvent(Steps, Now, TraceKind.Heal, "sim"));
    }

    /// <summary>The node takes no steps until resumed; what reaches it waits.</summary>
    public void Pause(string name)
    {
        this[name].IsPaused = true;
        Record(new TraceEvent(Steps, Now, TraceKind.Pause, name));
    }

    public void Resume(string name)
    {
        this[name].IsPaused = false;
        Record(new TraceEvent(Steps, Now, TraceKind.Resume, name));
    }

    /// <summary>Adds <paramref name="extra"/> to the delay of every message to or from the node.</summary>
    public void Slow(string name, TimeSpan extra) => this[name].Slowness = extra;

    /// <summary>
    /// Runs until <paramref name="condition"/> holds, at most <paramref name="maxSteps"/> steps, or
    /// until nothing is left to do. Returns whether the condition holds.
    /// </summary>
    public bool RunUntil(Func<bool> condition, long maxSteps)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var outer = SynchronizationContext.Current;
        var scope = EnterScope();
        try
        {
            var budget = Steps + maxSteps;
            while (!condition())
            {
                ThrowIfEscaped();
                if (Steps >= budget || (!RunReady() && !AdvanceTime()))
                {
                    return condition();
                }
            }

            ThrowIfEscaped();
            return true;
        }
        finally
        {
            _thread = scope;
            SynchronizationContext.SetSynchronizationContext(outer);
        }
    }

    /// <summary>Runs for a span of virtual time (or until nothing is left), at most <paramref name="maxSteps"/> steps.</summary>
    public void RunFor(TimeSpan span, long maxSteps)
    {
        var end = Now + span;
        ScheduleAt(end, () => { });
        RunUntil(() => Now >= end, maxSteps);
    }

    void IDeliveryScheduler.Schedule(Delivery delivery)
    {
        CheckThread("sent a message");
        var id = ++_messageIds;
        var method = ShortName(delivery.Envelope.Method);
        var message = new TraceMessage(delivery.Envelope.Method, delivery.IsReply, delivery.Envelope.Payload, delivery.Envelope.Error);
        Record(new TraceEvent(Steps, Now, TraceKind.Send, delivery.From, delivery.To, method, id, delivery.IsReply) { Message = message });

        // Always the same draws per message, so a run stays aligned with its seed.
        var dropRoll = _random.NextDouble();
        var duplicateRoll = _random.NextDouble();
        var delay = DrawDelay(delivery);
        var copyDelay = DrawDelay(delivery);
        if (!Stable && _blocked.Contains((delivery.From, delivery.To)))
        {
            Record(new TraceEvent(Steps, Now, TraceKind.Drop, delivery.From, delivery.To, method, id, delivery.IsReply, "partitioned") { Message = message });
            return;
        }

        if (!Stable && dropRoll < Options.Faults.DropRate && Inject())
        {
            Record(new TraceEvent(Steps, Now, TraceKind.Drop, delivery.From, delivery.To, method, id, delivery.IsReply, "lost") { Message = message });
            return;
        }

        Deliver(delivery, id, method, message, delay);
        if (!Stable && duplicateRoll < Options.Faults.DuplicateRate && Inject())
        {
            Record(new TraceEvent(Steps, Now, TraceKind.Duplicate, delivery.From, delivery.To, method, id, delivery.IsReply) { Message = message });
            Deliver(delivery, id, method, message, copyDelay);
        }
    }

    void IDeliveryScheduler.RunAs(string endpoint, Action action)
    {
        if (!_nodes.TryGetValue(endpoint, out var node) || node.Current is null)
        {
            action();
            return;
        }

        var outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(node.Current);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(outer);
        }
    }

    internal ScheduledEvent ScheduleAt(TimeSpan time, Action run)
    {
        var e = new ScheduledEvent(time, ++_eventOrder, run);
        _events.Enqueue(e, (e.Time, e.Order));
        return e;
    }

    internal void Record(TraceEvent e)
    {
        if (Options.CaptureStates && _nodes.TryGetValue(e.Node, out var node) && node.Process?.Describe is { } describe)
        {
            e = e with { State = describe() };
        }

        Trace.Add(e);
    }

    /// <summary>True once protocol code ran outside the simulator (see <see cref="SimulationEscapeException"/>).</summary>
    public bool Escaped
    {
        get
        {
            lock (_escapeGate)
            {
                return _escape is not null;
            }
        }
    }

    /// <summary>
    /// Notes protocol code that runs outside the simulator: on another thread than the one running
    /// the simulation, or while no simulation step is running at all.
    /// </summary>
    internal void CheckThread(string what)
    {
        if (Environment.CurrentManagedThreadId != _thread)
        {
            lock (_escapeGate)
            {
                _escape ??= $"Protocol code {what} on thread {Environment.CurrentManagedThreadId}, outside the simulator's thread, at step {Steps}: "
                    + "look for ConfigureAwait(false), Task.Run, a Thread or a real timer in code the simulator runs. "
                    + "Such code makes a run depend on the machine instead of its seed. Where it happened:"
                    + Environment.NewLine + WhereFrom();
            }
        }
    }

    private void Boot(SimNode node)
    {
        var life = new Incarnation(this, node, ++node.Lives);
        node.Current = life;
        var environment = new SimEnvironment(node.Name, node.Id, Network, life.Clock, new Random(_random.Next()));
        var outer = SynchronizationContext.Current;
        var scope = EnterScope();
        SynchronizationContext.SetSynchronizationContext(life);
        try
        {
            node.Process = node.Start(environment);
            Network.Listen(node.Name, SimNode.Serve(node.Process));
        }
        finally
        {
            _thread = scope;
            SynchronizationContext.SetSynchronizationContext(outer);
        }
    }

    private void Deliver(Delivery delivery, long id, string method, TraceMessage message, TimeSpan delay)
    {
        ScheduleAt(Now + delay, () =>
        {
            if (!_nodes.TryGetValue(delivery.To, out var target))
            {
                delivery.Deliver(); // an endpoint outside the simulation
                return;
            }

            if (target.Current is not { } life)
            {
                Record(new TraceEvent(Steps, Now, TraceKind.Drop, delivery.To, delivery.From, method, id, delivery.IsReply, "receiver down") { Message = message });
                return;
            }

            life.Enqueue(() =>
            {
                Record(new TraceEvent(Steps, Now, TraceKind.Deliver, delivery.To, delivery.From, method, id, delivery.IsReply) { Message = message });
                delivery.Deliver();
            });
        });
    }

    private TimeSpan DrawDelay(Delivery delivery)
    {
        var faults = Options.Faults;
        var span = (faults.MaxDelay - faults.MinDelay).Ticks;
        var delay = faults.MinDelay + TimeSpan.FromTicks((long)(_random.NextDouble() * span));
        return delay + Slowness(delivery.From) + Slowness(delivery.To);
    }

    private TimeSpan Slowness(string name) => _nodes.TryGetValue(name, out var node) ? node.Slowness : TimeSpan.Zero;

    /// <summary>Runs one ready continuation of a random node that has work; false when none has.</summary>
    private bool RunReady()
    {
        var ready = 0;
        foreach (var node in _order)
        {
            if (IsRunnable(node))
            {
                ready++;
            }
        }

        if (ready == 0)
        {
            return false;
        }

        var pick = _random.Next(ready);
        foreach (var node in _order)
        {
            if (IsRunnable(node) && pick-- == 0)
            {
                Step(node.Current!, node.Current!.Dequeue());
                return true;
            }
        }

        return false;
    }

    private static bool IsRunnable(SimNode node) => !node.IsPaused && node.Current is { HasWork: true };

    /// <summary>Moves virtual time to the next due event and runs it; false when nothing is due.</summary>
    private bool AdvanceTime()
    {
        while (_events.TryDequeue(out var next, out _))
        {
            if (next.Cancelled)
            {
                continue;
            }

            Now = next.Time;
            Steps++;
            next.Run();
            return true;
        }

        return false;
    }

    private void Step(Incarnation life, Action work)
    {
        Steps++;
        SynchronizationContext.SetSynchronizationContext(life);
        try
        {
            work();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Node {life.Node.Name} threw at step {Steps} ({Now.TotalMilliseconds} ms of virtual time, seed {Seed}): {e.Message}", e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }
    }

    private void ThrowIfEscaped()
    {
        lock (_escapeGate)
        {
            if (_escape is not null)
            {
                throw new SimulationEscapeException(_escape);
            }
        }
    }

    /// <summary>The frames of the current stack outside the runtime and the simulator: where protocol code escaped.</summary>
    private static string WhereFrom() =>
        string.Join(Environment.NewLine, new System.Diagnostics.StackTrace(2, fNeedFileInfo: true).GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m?.DeclaringType?.Namespace is { } ns && !ns.StartsWith("PaxosLabs.Simulation", StringComparison.Ordinal) && !ns.StartsWith("System.Threading.ExecutionContext", StringComparison.Ordinal))
            .Take(6)
            .Select(m => $"   at {m!.DeclaringType!.FullName}.{m.Name}"));

    /// <summary>Counts a fault the PRNG chose; true when the run keeps it.</summary>
    private bool Inject()
    {
        FaultsDrawn++;
        var keep = Options.KeptFaults?.Contains(FaultsDrawn) ?? true;
        if (keep)
        {
            FaultsKept++;
        }

        return keep;
    }

    /// <summary>Marks the calling thread as the simulator's until the returned value is restored.</summary>
    private int EnterScope()
    {
        var outer = _thread;
        _thread = Environment.CurrentManagedThreadId;
        return outer;
    }

    private static string ShortName(string method) => method[(method.LastIndexOf('/') + 1)..];

    private static async Task ForwardAsync<T>(Func<Task<T>> action, TaskCompletionSource<T> done)
    {
        try
        {
            done.SetResult(await action());
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }
}
