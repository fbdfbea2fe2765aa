using PaxosLabs.Simulation;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaxosLabs.Testing;

/// <summary>
/// A class fixture that shows how far a simulation sweep is while <c>dotnet test</c> runs, as lines
/// like <c>[xUnit.net 00:00:41.20] PaxosLabs.Stage4.Tests: Multi-Paxos sweep, 3 replicas, 16 slots in
/// flight: 150 of 300 seeds run (50 %), 0 failed, 38 s</c>. A test's own output shows only once it
/// failed, but xunit prints diagnostic messages at once when the test project's
/// <c>xunit.runner.json</c> turns them on (<c>"diagnosticMessages": true</c>).
/// </summary>
public sealed class SweepProgressLog(IMessageSink sink) : IProgress<SweepProgress>
{
    public void Report(SweepProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        sink.OnMessage(new DiagnosticMessage(value.ToString()));
    }
}
