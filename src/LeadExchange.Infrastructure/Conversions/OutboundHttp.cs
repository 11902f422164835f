using System.Net;
using System.Net.Sockets;

namespace LeadExchange.Infrastructure.Conversions;

/// <summary>
/// Outbound calls to URLs users typed (webmaster postbacks, later buyer webhooks) must not reach the
/// platform's own network: the connection is refused when the resolved address is loopback, private,
/// link-local (cloud metadata) or otherwise not public. Checked at connect time, on the address actually
/// dialled, so a DNS answer that changes between check and use cannot get around it.
/// </summary>
public static class OutboundHttp
{
    public static SocketsHttpHandler Handler(bool allowPrivateTargets) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var target = addresses.FirstOrDefault(a => allowPrivateTargets || IsPublic(a))
                ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to a private or local address; postbacks go to public addresses only.");
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
                 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                 || (b[0] == 192 && b[1] == 168)
                 || (b[0] == 169 && b[1] == 254)
                 || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }
}
