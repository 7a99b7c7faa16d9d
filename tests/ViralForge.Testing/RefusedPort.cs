using System.Net;
using System.Net.Sockets;

namespace ViralForge.Testing;

/// <summary>
/// A loopback port where connections are refused, held for the test's lifetime: the socket is bound but never
/// listens, so no other test's server can be given the port meanwhile (a port merely closed can be reused at once).
/// </summary>
public sealed class RefusedPort : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusedPort()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    public void Dispose() => socket.Dispose();
}
