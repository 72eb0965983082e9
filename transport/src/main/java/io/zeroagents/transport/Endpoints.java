package io.zeroagents.transport;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which endpoints other machines may reach: those a socket must not bind without CURVE.
 *
 * <p>Every port is assumed reachable by someone hostile. A bind on {@code inproc}, {@code ipc} or a
 * loopback tcp address is reachable from this machine alone; anything else (a wildcard, an
 * interface's address, a name that resolves beyond loopback or not at all, another transport) may
 * be reached from the network, so it is encrypted and authenticated, or refused.
 */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * Whether a socket bound to {@code endpoint} may be reached from other machines.
     *
     * @param endpoint a ZeroMQ endpoint, e.g. {@code tcp://0.0.0.0:9091}
     * @return {@code false} for {@code inproc://} and {@code ipc://} endpoints and for {@code tcp://}
     *         endpoints on 127.0.0.0/8, {@code ::1} or a name (such as {@code localhost}) every
     *         address of which is a loopback one; also {@code false} for a {@code tcp://} endpoint
     *         without a port, which is malformed and left to the bind to refuse as such. {@code true}
     *         for everything else: a wildcard, any other address or transport, and a name that does
     *         not resolve, since what cannot be shown to stay on this machine may leave it.
     */
    public static boolean isReachableFromOtherMachines(String endpoint) {
        String lower = endpoint.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("inproc://") || lower.startsWith("ipc://")) {
            return false;
        }
        if (!lower.startsWith("tcp://")) {
            return true;
        }
        String address = lower.substring("tcp://".length());
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // An empty host or "*" is a wildcard; a "source;destination" pair belongs to a connect.
        if (host.isEmpty() || host.equals("*") || host.contains(";")) {
            return true;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return all.length == 0 || !Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | SecurityException e) {
            return true;
        }
    }

    /**
     * Whether a socket connecting to {@code endpoint} reaches a server on this machine.
     *
     * @param endpoint a ZeroMQ endpoint a socket connects to, e.g. {@code tcp://127.0.0.1:9091}
     * @return {@code true} for {@code inproc://} and {@code ipc://} endpoints and for {@code tcp://}
     *         endpoints whose host is (or resolves, every address of it, to) a loopback address or an
     *         address of one of this machine's network interfaces; {@code false} otherwise,
     *         including for a name that does not resolve
     */
    public static boolean isOnThisMachine(String endpoint) {
        String lower = endpoint.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("inproc://") || lower.startsWith("ipc://")) {
            return true;
        }
        if (!lower.startsWith("tcp://")) {
            return false;
        }
        String address = lower.substring("tcp://".length());
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*") || host.contains(";")) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress one : all) {
                if (!one.isLoopbackAddress() && NetworkInterface.getByInetAddress(one) == null) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException | SocketException | SecurityException e) {
            return false;
        }
    }
}
