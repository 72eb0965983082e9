package io.zeroagents.nameserver;

import io.zeroagents.NameServerException;
import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Describes a name server, then {@linkplain #start() starts} it.
 *
 * <p>Only the registry is required. By default the service binds {@value #DEFAULT_BIND} (loopback, a
 * free port), refuses clients' {@code Shutdown} requests, speaks plain text (and refuses, without
 * CURVE, to bind an address other machines can reach unless {@link #plainTextBeyondLoopback} or
 * the setting {@code zeroagents.insecure.no.curve} allows it), writes its admin token to
 * {@link AdminToken#defaultDirectory()}, and polls after requests
 * for the window the setting {@code zeroagents.nameserver.spin.micros} gives (see
 * {@link NameServerService#configuredSpin()}). Setters check their arguments against null at once;
 * {@link #start()} checks the rest.
 *
 * <p>The service owns its registry from {@link #start()} on: when the registry is {@link AutoCloseable}
 * (a federated one), it is closed when the service closes, and also when {@code start()} fails.
 *
 * <p>Not thread-safe. A builder may start several services, one after another, for example on
 * one shared registry.
 */
public final class NameServerServiceBuilder {
    private static final Logger LOG = LogManager.getLogger(NameServerService.class);
    /** The endpoint a name server binds unless {@link #bind(String)} says otherwise. */
    public static final String DEFAULT_BIND = "tcp://127.0.0.1:*";

    String bind = DEFAULT_BIND;
    @Nullable Registry registry;
    boolean acceptsShutdown;
    @Nullable CurveKeys curve;
    @Nullable Duration spin;
    @Nullable Boolean plainTextBeyondLoopback;
    @Nullable Path tokenDirectory = AdminToken.defaultDirectory();

    NameServerServiceBuilder() {
    }

    /**
     * Sets the endpoint to serve on.
     *
     * @param endpoint a {@code tcp://host:port} endpoint; port {@code *} or {@code 0} picks a free
     *                 port, read it back with {@link NameServerService#address()}
     * @return this builder
     */
    public NameServerServiceBuilder bind(String endpoint) {
        this.bind = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /**
     * Sets where the agents are kept; required.
     *
     * @param registry the registry, whose {@link Registry#lease() lease} sets the expiry period;
     *                 the service owns it from {@link #start()} on
     * @return this builder
     */
    public NameServerServiceBuilder registry(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Sets whether clients may ask the name server to end (a {@code Shutdown} request completes
     * {@link NameServerService#shutdownRequested()}): the daemon's choice, never an embedded
     * server's. Off by default.
     *
     * @param accepts true to accept shutdown requests
     * @return this builder
     */
    public NameServerServiceBuilder acceptsShutdown(boolean accepts) {
        this.acceptsShutdown = accepts;
        return this;
    }

    /**
     * Encrypts and authenticates with CURVE: only clients whose keys these authorize get in.
     *
     * @param keys the system's keys, or {@code null} for plain text (the default)
     * @return this builder
     */
    public NameServerServiceBuilder curve(@Nullable CurveKeys keys) {
        this.curve = keys;
        return this;
    }

    /**
     * Sets whether the name server may serve plain text, without {@link #curve CURVE}, on an
     * address other machines can reach, instead of the setting {@code zeroagents.insecure.no.curve}.
     * Whoever reaches such a port can register, remove and look up agents, and stop their hosts:
     * allow it only on a network every host of which is trusted. Loopback binds need no consent.
     *
     * @param allowed true to serve plain text beyond loopback, with a warning
     * @return this builder
     */
    public NameServerServiceBuilder plainTextBeyondLoopback(boolean allowed) {
        this.plainTextBeyondLoopback = allowed;
        return this;
    }

    /**
     * Sets where the service writes its admin token ({@link AdminToken#file(Path, int)}), for the
     * command line and other programs of this user; {@link AdminToken#defaultDirectory()} unless set.
     *
     * @param directory the directory, made owner-only if it does not exist; {@code null} to write no
     *                  file, so that only this JVM holds the token ({@link NameServerService#adminToken()})
     * @return this builder
     */
    public NameServerServiceBuilder adminTokenDirectory(@Nullable Path directory) {
        this.tokenDirectory = directory;
        return this;
    }

    /**
     * Sets how long the serving thread keeps polling after a request that came right after the one
     * before, instead of the setting {@code zeroagents.nameserver.spin.micros}.
     *
     * @param window the polling window; zero turns polling off
     * @return this builder
     */
    public NameServerServiceBuilder spin(Duration window) {
        this.spin = Objects.requireNonNull(window, "window");
        return this;
    }

    /**
     * Binds the name server and starts serving on a thread of its own.
     *
     * @return the running service
     * @throws IllegalStateException    if no registry was given
     * @throws IllegalArgumentException if the endpoint is not a {@code tcp://} endpoint, the spin
     *                                  window is negative, or, with no window given,
     *                                  {@link NameServerService#SPIN_PROPERTY} has a bad value (see
     *                                  {@link NameServerService#configuredSpin()}); the registry is
     *                                  closed
     * @throws NameServerException      if the endpoint cannot be bound, for example because the
     *                                  port is in use, or because other machines can reach it and
     *                                  neither CURVE nor the consent to plain text is given; the
     *                                  registry is closed
     */
    public NameServerService start() {
        Registry owned = registry;
        if (owned == null) {
            throw new IllegalStateException("A name server needs a registry: call registry(...) before start(),"
                    + " for example registry(new LocalRegistry(Duration.ofSeconds(5)))");
        }
        Duration window;
        boolean plainText;
        try {
            window = spin != null ? spin : NameServerService.configuredSpin();
            plainText = plainTextBeyondLoopback != null ? plainTextBeyondLoopback
                    : ConfigSource.system().read(ZeroAgentsSettings.INSECURE_NO_CURVE);
            if (window.isNegative()) {
                throw new IllegalArgumentException("Name server spin window must not be negative, got " + window);
            }
            if (!bind.startsWith("tcp://")) {
                throw new IllegalArgumentException("Name server endpoint '" + bind + "' is not a tcp:// endpoint;"
                        + " use for example tcp://127.0.0.1:* or tcp://0.0.0.0:9091");
            }
        } catch (IllegalArgumentException e) {
            NameServerService.closeRegistry(owned);
            throw e;
        }
        if (curve == null && plainText && Endpoints.isReachableFromOtherMachines(bind)) {
            // At every start, so that the consent is never forgotten in a configuration.
            LOG.warn("Name server serves plain text on {}, which other machines can reach, as allowed by {} (the"
                    + " daemon's --insecure-no-curve): anyone who reaches the port can register, remove and look"
                    + " up agents and stop their hosts. Give it CURVE keys instead", bind,
                    ZeroAgentsSettings.INSECURE_NO_CURVE.property());
        }
        return NameServerService.open(this, owned, plainText, window);
    }
}
