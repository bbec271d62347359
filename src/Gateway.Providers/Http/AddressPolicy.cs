using System.Net;
using System.Net.Sockets;

namespace Gateway.Providers.Http;

/// <summary>Which addresses the gateway may connect to when fetching a URL a caller supplied: public unicast only.</summary>
public static class AddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 ||
                     (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||   // CGNAT 100.64/10
                     (b[0] == 169 && b[1] == 254) ||                 // link-local, incl. 169.254.169.254 metadata
                     (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||
                     (b[0] == 192 && b[1] == 168) ||
                     (b[0] == 192 && b[1] == 0 && b[2] == 0) ||
                     (b[0] == 198 && (b[1] == 18 || b[1] == 19)) ||   // benchmarking
                     b[0] >= 224);                                   // multicast and reserved
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast ||
                     (b[0] & 0xFE) == 0xFC ||                         // unique local fc00::/7
                     (b[0] == 0xFD && b[1] == 0x00 && b[2] == 0x0E && b[3] == 0xC2)); // fd00:ec2::254 metadata (covered by fc00::/7 too)
        }
        return false;
    }
}
