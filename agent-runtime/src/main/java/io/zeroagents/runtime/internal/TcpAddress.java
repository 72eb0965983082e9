package io.zeroagents.runtime.internal;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code tcp://host[:port]} ZeroMQ address taken apart with Guava's {@link HostAndPort}, which
 * knows bracketed IPv6 literals; the port may be ZeroMQ's {@code *}.
 *
 * @param host the host without brackets: a name, an IP literal or a wildcard
 * @param port the port, {@code *}, or {@code null} when the address has none
 */
record TcpAddress(String host, @Nullable String port) {
    private static final String SCHEME = "tcp://";

    /** Parses {@code address}; throws {@link IllegalArgumentException} naming it when it is not tcp. */
    static TcpAddress parse(String address) {
        String trimmed = address.strip();
        if (!trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("'" + address + "' is not a tcp:// address");
        }
        String rest = trimmed.substring(SCHEME.length());
        String port = null;
        if (rest.endsWith(":*")) {
            port = "*";
            rest = rest.substring(0, rest.length() - 2);
        }
        try {
            HostAndPort parsed = HostAndPort.fromString(rest);
            if (parsed.hasPort()) {
                if (port != null) {
                    throw new IllegalArgumentException("two ports");
                }
                port = Integer.toString(parsed.getPort());
            }
            if (parsed.getHost().isEmpty()) {
                throw new IllegalArgumentException("no host");
            }
            return new TcpAddress(parsed.getHost(), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + address + "' is not a tcp://host[:port] address: "
                    + e.getMessage(), e);
        }
    }

    /** Whether the host is a wildcard: {@code *}, {@code 0.0.0.0} or {@code ::}. */
    boolean wildcard() {
        return AdvertisedHost.isWildcard(host);
    }

    /** Whether the host is an IP literal rather than a name (or a wildcard). */
    boolean literal() {
        return InetAddresses.isInetAddress(host);
    }

    /** The same address with a host name replaced by the IP address it resolves to. */
    TcpAddress resolved() throws UnknownHostException {
        if (wildcard() || literal()) {
            return this;
        }
        return new TcpAddress(InetAddress.getByName(host).getHostAddress(), port);
    }

    /** The same address with another port. */
    TcpAddress withPort(String newPort) {
        return new TcpAddress(host, newPort);
    }

    /** The address as ZeroMQ reads it, an IPv6 literal in brackets. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return SCHEME + h + (port == null ? "" : ":" + port);
    }
}
