package io.zeroagents.runtime.internal;

import io.zeroagents.settings.ZeroAgentsSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The host other machines use to reach a socket bound on a wildcard ({@code tcp://*:port} or
 * {@code tcp://0.0.0.0:port}): ZeroMQ reports the wildcard itself, which no peer can connect to
 * (osBrain's agents register 127.0.0.1 for the same reason). The configured
 * {@code zeroagents.advertised.host} wins; otherwise this machine's own address: what its host
 * name resolves to unless that is a loopback, else its first non-loopback IPv4 address.
 */
final class AdvertisedHost {
    private static final Logger LOG = LogManager.getLogger(AdvertisedHost.class);
    private static volatile @Nullable String detected;

    private AdvertisedHost() {
    }

    /** The endpoint peers should use for a socket that bound {@code boundEndpoint}. */
    static String advertise(String boundEndpoint, @Nullable String configured) {
        if (!boundEndpoint.startsWith("tcp://")) {
            return boundEndpoint;
        }
        int colon = boundEndpoint.lastIndexOf(':');
        String host = boundEndpoint.substring("tcp://".length(), colon);
        if (!isWildcard(host)) {
            return boundEndpoint;
        }
        return "tcp://" + (configured != null ? configured : detect()) + boundEndpoint.substring(colon);
    }

    static boolean isWildcard(String host) {
        String bare = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return bare.equals("*") || bare.equals("0.0.0.0") || bare.equals("::") || bare.equals("0:0:0:0:0:0:0:0");
    }

    /** This machine's address for peers: {@code configured} when given, else the one detected. */
    static String publicHost(@Nullable String configured) {
        return configured != null ? configured : detect();
    }

    private static String detect() {
        String known = detected;
        if (known != null) {
            return known;
        }
        String found = null;
        try {
            InetAddress local = InetAddress.getLocalHost();
            if (!local.isLoopbackAddress() && local instanceof Inet4Address) {
                found = local.getHostAddress();
            }
        } catch (UnknownHostException e) {
            LOG.debug("This machine's host name does not resolve: {}", e.getMessage());
        }
        if (found == null) {
            found = firstInterfaceAddress();
        }
        if (found == null) {
            LOG.warn("Found no non-loopback address to advertise for wildcard binds; using 127.0.0.1."
                    + " Set " + ZeroAgentsSettings.ADVERTISED_HOST.property()
                    + " for agents other machines must reach");
            found = "127.0.0.1";
        }
        detected = found;
        return found;
    }

    private static @Nullable String firstInterfaceAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list network interfaces: {}", e.getMessage());
        }
        return null;
    }
}
