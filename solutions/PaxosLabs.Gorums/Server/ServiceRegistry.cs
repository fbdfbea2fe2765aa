using Google.Protobuf;

namespace PaxosLabs.Gorums.Server;

/// <summary>A service the server can host; the code generator makes each service's base class implement it.</summary>
public interface IGorumsService
{
    void Register(ServiceRegistry registry);
}

/// <summary>The handlers of a server, by full method name.</summary>
public sealed class ServiceRegistry
{
    private readonly Dictionary<string, MethodHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>Registers a method that answers: its reply goes back to the caller.</summary>
    public void Add<TRequest, TReply>(RpcMethod<TRequest, TReply> method, Func<TRequest, ServerContext, Task<TReply>> handler)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        AddHandler(method.FullName, new MethodHandler(false, async (payload, context) =>
        {
            var reply = await handler(Payload.Read(method.RequestParser, payload), context);
            return Payload.Of(reply);
        }));
    }

    /// <summary>Registers a one-way method (multicast, unicast): nothing goes back.</summary>
    public void AddOneWay<TRequest, TReply>(RpcMethod<TRequest, TReply> method, Func<TRequest, ServerContext, Task> handler)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        AddHandler(method.FullName, new MethodHandler(true, async (payload, context) =>
        {
            await handler(Payload.Read(method.RequestParser, payload), context);
            return ByteString.Empty;
        }));
    }

    internal bool TryGet(string method, out MethodHandler handler) => _handlers.TryGetValue(method, out handler!);

    private void AddHandler(string name, MethodHandler handler)
    {
        if (!_handlers.TryAdd(name, handler))
        {
            throw new ArgumentException($"Method {name} is registered twice.", nameof(name));
        }
    }
}

internal sealed record MethodHandler(bool OneWay, Func<ByteString, ServerContext, Task<ByteString>> Invoke);
