package io.zeroagents;

import java.util.Locale;

/**
 * How bytes travel between sockets.
 *
 * @since 0.1
 */
public enum Transport {
    /** Within one JVM, between agents sharing the runtime's ZeroMQ context; the fastest. */
    INPROC,
    /** Between processes on one machine (JeroMQ emulates it over loopback TCP). */
    IPC,
    /** Between processes and hosts over TCP. */
    TCP;

    /**
     * The URI scheme of this transport, as in {@code tcp://127.0.0.1:5555}.
     *
     * @return {@code inproc}, {@code ipc} or {@code tcp}
     */
    public String scheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a transport name, ignoring case.
     *
     * @param name {@code inproc}, {@code ipc} or {@code tcp}
     * @return the transport
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static Transport parse(String name) {
        for (Transport transport : values()) {
            if (transport.name().equalsIgnoreCase(name.trim())) {
                return transport;
            }
        }
        throw new IllegalArgumentException(
                "Unknown transport '" + name + "' (expected one of inproc, ipc, tcp)");
    }

    /**
     * The transport of an endpoint such as {@code tcp://127.0.0.1:5555}.
     *
     * @param endpoint a ZeroMQ endpoint
     * @return its transport
     * @throws IllegalArgumentException when the endpoint has no known scheme
     */
    public static Transport ofEndpoint(String endpoint) {
        int colon = endpoint.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "Endpoint '" + endpoint + "' has no transport (expected e.g. tcp://127.0.0.1:5555)");
        }
        return parse(endpoint.substring(0, colon));
    }
}
