using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PaxosLabs.NetFault.Tests.Lab;

/// <summary>
/// Makes TCP sockets inside a network namespace from this process, which stays in its own: one
/// thread of its own enters the namespace (setns acts on the calling thread only) and does nothing
/// but create sockets, which keep that namespace for life wherever they are used afterwards. The
/// clients' HTTP handler connects through it, so their traffic leaves from the clients' namespace.
/// </summary>
internal sealed class NamespaceSockets : IDisposable
{
    private readonly BlockingCollection<TaskCompletionSource<Socket>> _requests = [];
    private readonly Thread _thread;

    public NamespaceSockets(string netns)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() => Serve(netns, entered)) { IsBackground = true, Name = $"sockets in {netns}" };
        _thread.Start();
        entered.Task.GetAwaiter().GetResult();
    }

    private void Serve(string netns, TaskCompletionSource entered)
    {
        try
        {
            using var handle = File.OpenHandle($"/run/netns/{netns}");
            if (Native.SetNs((int)handle.DangerousGetHandle(), Native.CLONE_NEWNET) != 0)
            {
                throw new InvalidOperationException($"setns into network namespace {netns} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            entered.SetException(e);
            return;
        }

        entered.SetResult();
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            try
            {
                request.SetResult(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
            }
            catch (SocketException e)
            {
                request.SetException(e);
            }
        }
    }

    public Task<Socket> CreateAsync()
    {
        var request = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add(request);
        return request.Task;
    }

    /// <summary>An HTTP/2 handler for gRPC channels whose connections start in the namespace.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ConnectCallback = async (context, token) =>
        {
            var socket = await CreateAsync().ConfigureAwait(false);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _requests.Dispose();
    }
}
