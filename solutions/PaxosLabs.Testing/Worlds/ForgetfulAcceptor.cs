using PaxosLabs.Gorums.Server;
using PaxosLabs.SinglePaxos;

namespace PaxosLabs.Testing.Worlds;

/// <summary>
/// A broken acceptor for the kit's own tests: it promises every higher round but never reports
/// the value it accepted, so a second proposer can choose another value.
/// </summary>
public sealed class ForgetfulAcceptor : PaxosServerBase
{
    private long _rnd = -1;

    public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context)
    {
        if (request.Crnd > _rnd)
        {
            _rnd = request.Crnd;
            return Task.FromResult(new PromiseMsg { Rnd = request.Crnd, Vrnd = -1 });
        }

        return Task.FromResult(new PromiseMsg { Rnd = _rnd, Vrnd = -1 });
    }

    public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context)
    {
        if (request.Rnd < _rnd)
        {
            return Task.FromResult(new LearnMsg { Rnd = _rnd });
        }

        _rnd = request.Rnd;
        return Task.FromResult(new LearnMsg { Rnd = request.Rnd, Val = request.Val });
    }

    public override Task Commit(LearnMsg request, ServerContext context) => Task.CompletedTask;
}
