package io.zeroagents.sockets;

/**
 * AgentZero's address utilities ({@code agentzero.util}) for a Java user, as the runtime sees this
 * machine: the host it advertises for wildcard binds is the one agents advertise.
 *
 * <p>Obtain it with {@link SocketManager#addresses()}. Thread-safe.
 *
 * @since 0.1
 */
public interface NetworkAddresses {

    /**
     * A TCP port free on this machine now (AgentZero's {@code get_free_tcp_port}). Another process
     * may take it before it is used; binding to port {@code *} avoids the race.
     *
     * @return a port number
     */
    int freeTcpPort();

    /**
     * The host of a {@code tcp://} address (AgentZero's {@code extract_hostname_from_tcp_address}).
     *
     * @param tcpAddress e.g. {@code tcp://example.org:5051} or {@code tcp://[::1]:5051}
     * @return the host, e.g. {@code example.org} or {@code ::1}
     * @throws IllegalArgumentException when the address is not a {@code tcp://host[:port]} address
     */
    String hostOf(String tcpAddress);

    /**
     * The IP address a host name resolves to (AgentZero's {@code resolve_hostname}); an IP literal
     * is returned as it is.
     *
     * @param host a host name or IP literal
     * @return the address, textual
     * @throws IllegalArgumentException when the name does not resolve
     */
    String resolve(String host);

    /**
     * The address peers use to reach a socket bound to {@code address} (AgentZero's
     * {@code fix_zeromq_tcp_address}): a wildcard host ({@code *}, {@code 0.0.0.0}, {@code ::})
     * becomes this machine's public address; any other address is returned as it is.
     *
     * @param address a bound endpoint, e.g. {@code tcp://0.0.0.0:6000}
     * @return the endpoint for peers, e.g. {@code tcp://192.168.2.42:6000}
     */
    String forPeers(String address);

    /**
     * The address {@link SocketManager#bindToRandomPort(String, Poll)} binds when given none
     * (AgentZero's {@code get_default_bind_address}): {@code tcp://0.0.0.0} when CURVE is on or plain
     * text beyond loopback is allowed, else {@code tcp://127.0.0.1}, the only address a bind without
     * CURVE is allowed by default.
     *
     * @return a {@code tcp://host} address without a port
     */
    String defaultBindAddress();

    /**
     * This machine's address as other machines see it (AgentZero's {@code get_public_ip_address}):
     * the configured {@code zeroagents.advertised.host}, else what the host name resolves to unless
     * that is a loopback, else the first non-loopback IPv4 address of an interface that is up.
     *
     * @return the address, textual
     */
    String publicHost();

    /**
     * {@link #publicHost()} as a ZeroMQ address (AgentZero's {@code get_public_zmq_address}).
     *
     * @return {@code tcp://} and the public host, without a port
     */
    default String publicTcpAddress() {
        String host = publicHost();
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    }
}
