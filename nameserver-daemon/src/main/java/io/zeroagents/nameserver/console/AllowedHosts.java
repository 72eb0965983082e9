package io.zeroagents.nameserver.console;

import io.zeroagents.settings.HostName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.jspecify.annotations.Nullable;

/**
 * The names a browser may use for the console, checked against every request's {@code Host} (and
 * an admin request's {@code Origin}): a page of another site that has its own name point at the
 * console's address (DNS rebinding) then still sends its own name, and is refused.
 *
 * <p>The names are those the console was bound with: the host given and the literal address; for
 * loopback also {@code localhost}; for every interface ({@code 0.0.0.0}) this machine's host name,
 * {@code localhost} and the addresses of its interfaces. Ports are not compared: a port mapping or
 * a proxy may put the console behind another one, and a rebinding page cannot choose its name's
 * port apart from the console's anyway.
 */
final class AllowedHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> names;
    private final Set<InetAddress> addresses;

    private AllowedHosts(Set<String> names, Set<InetAddress> addresses) {
        this.names = Set.copyOf(names);
        this.addresses = Set.copyOf(addresses);
    }

    /**
     * The names of a console bound to an address.
     *
     * @param bound the address the console listens on, with the host as it was given
     * @return the allowed names
     */
    static AllowedHosts of(InetSocketAddress bound) {
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        InetAddress address = bound.getAddress();
        if (!address.isAnyLocalAddress()) {
            names.add(normalize(bound.getHostString()));
            addresses.add(address);
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            names.add("localhost");
            addresses.add(InetAddress.getLoopbackAddress());
        }
        if (address.isAnyLocalAddress()) {
            HostName.local().ifPresent(name -> names.add(normalize(name)));
            try {
                NetworkInterface.networkInterfaces().forEach(network -> network.inetAddresses().forEach(addresses::add));
            } catch (SocketException e) {
                LogManager.getLogger(AllowedHosts.class).warn("Console cannot list this machine's addresses ({});"
                        + " it answers to its host name and localhost only", e.getMessage());
            }
        }
        return new AllowedHosts(names, addresses);
    }

    /**
     * Tells whether a {@code Host} header names the console.
     *
     * @param host the header, {@code name[:port]} or {@code [v6][:port]}; null when missing
     * @return true for one of the allowed names or addresses
     */
    boolean allows(@Nullable String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.strip();
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = name.substring(1, end);
        } else {
            int colon = name.lastIndexOf(':');
            if (colon >= 0 && name.indexOf(':') == colon) {
                name = name.substring(0, colon);
            }
        }
        name = normalize(name);
        if (names.contains(name)) {
            return true;
        }
        // Only a literal is parsed: a name is never looked up, so a request cannot make the console resolve it.
        if (IPV4.matcher(name).matches() || name.contains(":")) {
            try {
                return addresses.contains(InetAddress.getByName(name));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Tells whether an {@code Origin} header is the console's own: {@code http://} and an allowed
     * host.
     *
     * @param origin the header
     * @return true when a page of the console sent the request
     */
    boolean allowsOrigin(String origin) {
        return origin.startsWith("http://") && allows(origin.substring("http://".length()));
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
