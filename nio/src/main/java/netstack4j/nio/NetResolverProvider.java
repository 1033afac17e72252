package netstack4j.nio;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * Name resolution for code running in a {@link NetScope}: {@code InetAddress.getByName("server.lab")}
 * asks the scope's host's resolver ({@link netstack4j.dns.DnsResolver}: its hosts entries, then a
 * DNS query over the stack to its nameservers). Outside a scope the JDK's built-in resolver
 * answers. Found by {@link java.util.ServiceLoader} (this module's
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}) when {@code InetAddress}
 * is first used, so the module must be on the class path from the start.
 *
 * <p>IPv4 only: a lookup that asks for IPv6 addresses alone finds nothing. Reverse lookups are
 * the built-in resolver's. Note that {@code InetAddress} caches answers (30 s by default,
 * {@code networkaddress.cache.ttl}) whichever host asked.
 */
public final class NetResolverProvider extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                NetStack here = NetScope.current();
                if (here == null) {
                    return builtin.lookupByName(host, policy);
                }
                if ((policy.characteristics() & LookupPolicy.IPV4) == 0) {
                    throw new UnknownHostException(host + ": no IPv6 addresses on netstack4j");
                }
                Ipv4Address a = here.resolver().resolve(host);
                return Stream.of(a.toInetAddress());
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "netstack4j";
    }
}
