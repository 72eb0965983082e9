package io.zeroagents.runtime.internal;

import com.google.common.net.InetAddresses;
import io.zeroagents.sockets.NetworkAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's {@link NetworkAddresses}: the advertised host agents use ({@link AdvertisedHost}),
 * addresses taken apart by {@link TcpAddress}, and the default bind address following the
 * secure-by-default rule of the socket factory. Immutable and thread-safe.
 */
final class LocalNetworkAddresses implements NetworkAddresses {
    private final @Nullable String advertisedHost;
    private final boolean bindsBeyondLoopback;

    /**
     * @param advertisedHost      the configured {@code zeroagents.advertised.host}, if any
     * @param bindsBeyondLoopback whether binds other machines reach are allowed (CURVE on, or
     *                            plain text allowed)
     */
    LocalNetworkAddresses(@Nullable String advertisedHost, boolean bindsBeyondLoopback) {
        this.advertisedHost = advertisedHost;
        this.bindsBeyondLoopback = bindsBeyondLoopback;
    }

    @Override
    public int freeTcpPort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free TCP port: " + e.getMessage(), e);
        }
    }

    @Override
    public String hostOf(String tcpAddress) {
        return TcpAddress.parse(tcpAddress).host();
    }

    @Override
    public String resolve(String host) {
        if (InetAddresses.isInetAddress(host)) {
            return host;
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Host name '" + host + "' does not resolve", e);
        }
    }

    @Override
    public String forPeers(String address) {
        return AdvertisedHost.advertise(address, advertisedHost);
    }

    @Override
    public String defaultBindAddress() {
        return bindsBeyondLoopback ? "tcp://0.0.0.0" : "tcp://127.0.0.1";
    }

    @Override
    public String publicHost() {
        return AdvertisedHost.publicHost(advertisedHost);
    }
}
