package io.zeroagents.nameserver;

import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.AgentList;
import io.zeroagents.nameserver.protocol.Pong;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.RemoveAddress;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.nameserver.registry.RegistryFullException;
import io.zeroagents.transport.DropLog;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Answers the name server's requests from its registry, one operation at a time: the
 * {@link NameServerService} owns the socket and the thread, this class what each request means.
 * Refusals become statuses ({@link Status#DUPLICATE_NAME}, {@link Status#NOT_OWNER}, ...), and an
 * unexpected failure {@link Status#ERROR}; nothing a request does stops the service.
 *
 * <p>Who may do what: requests about an entry carry the secret of the host that registered it
 * ({@link OwnerKey}; the registry checks it), and stopping agents, shutting down and evicting need
 * an admin ({@link AdminAccess}). Requests refused for want of either are counted, and logged at
 * most once per client address every ten seconds: a stranger repeating them costs few lines.
 *
 * <p>Used by the serving thread only.
 */
final class RequestDispatcher {
    private static final Logger LOG = LogManager.getLogger(RequestDispatcher.class);

    private final Registry registry;
    private final AgentHosts hosts;
    private final String serverId;
    private final String address;
    private final boolean acceptsShutdown;
    private final CompletableFuture<Void> shutdownRequested;
    private final AdminAccess admin;
    // Read by other threads (NameServerService.refusedRequests()), written by the serving thread.
    private final AtomicLong refused = new AtomicLong();
    // Registrations refused because the registry was full; serving thread only, atomic for the same readers.
    private final AtomicLong full = new AtomicLong();
    private final DropLog refusals = new DropLog(LOG);

    RequestDispatcher(Registry registry, AgentHosts hosts, String serverId, String address, boolean acceptsShutdown,
                      CompletableFuture<Void> shutdownRequested, AdminAccess admin) {
        this.registry = registry;
        this.hosts = hosts;
        this.serverId = serverId;
        this.address = address;
        this.acceptsShutdown = acceptsShutdown;
        this.shutdownRequested = shutdownRequested;
        this.admin = admin;
    }

    /** How many requests were refused for want of a credential: the admin's, or an entry owner's secret. */
    long refused() {
        return refused.get();
    }

    /** What makes a parsed request unservable (another protocol version, no body), or null if nothing. */
    static @Nullable String malformation(Request request) {
        if (request.getVersion() != NameServerClient.PROTOCOL_VERSION) {
            return "protocol version " + request.getVersion() + " is not supported; this name server speaks version "
                    + NameServerClient.PROTOCOL_VERSION;
        }
        if (request.getBodyCase() == Request.BodyCase.BODY_NOT_SET) {
            return "the request has no body; set one of register, lookup, list, ...";
        }
        return null;
    }

    /**
     * Serves a well-formed request and returns its answer, carrying the request's id.
     *
     * @param clientKey the CURVE public key the client authenticated with, or null without CURVE
     * @param peerHost  the client's IP address, which refusals are logged by
     */
    Response answer(Request request, @Nullable String clientKey, String peerHost) {
        String host = switch (request.getBodyCase()) {
            case REGISTER -> request.getRegister().getAgent().getHostId();
            case UNREGISTER -> request.getUnregister().getHostId();
            case HEARTBEAT -> request.getHeartbeat().getHostId();
            case PUT_ADDRESS -> request.getPutAddress().getHostId();
            case REMOVE_ADDRESS -> request.getRemoveAddress().getHostId();
            default -> "";
        };
        hosts.seen(host);
        Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId()).setStatus(Status.OK);
        String refusal = admin.refusal(request, clientKey);
        if (refusal != null) {
            long count = refused.incrementAndGet();
            refusals.warn(peerHost, "Name server on {} refused {} from {}{}: {} ({} refused so far)", address,
                    operation(request), peerHost, clientKey == null ? "" : " with CURVE key " + clientKey, refusal,
                    count);
            return Response.newBuilder().setRequestId(request.getRequestId()).setStatus(Status.FORBIDDEN)
                    .setError(refusal).build();
        }
        try {
            switch (request.getBodyCase()) {
                case REGISTER -> register(request, clientKey);
                case UNREGISTER -> unregister(request.getUnregister());
                case HEARTBEAT -> response.setHeartbeat(hosts.heartbeat(request.getHeartbeat()));
                case LOOKUP -> response.setAgent(lookup(request.getLookup().getName()));
                case LIST -> response.setAgents(AgentList.newBuilder().addAllAgents(registry.list()));
                case PUT_ADDRESS -> {
                    PutAddress put = request.getPutAddress();
                    if (!put.hasAddress()) {
                        throw new IllegalArgumentException("put_address for agent '" + put.getName() + "' has no address");
                    }
                    registry.putAddress(put.getName(), OwnerKey.ofSecret(put.getHostSecret(),
                            "put_address for agent '" + put.getName() + "'"),
                            ServerKeys.recorded(put.getAddress(), clientKey));
                }
                case REMOVE_ADDRESS -> {
                    RemoveAddress remove = request.getRemoveAddress();
                    registry.removeAddress(remove.getName(), OwnerKey.ofSecret(remove.getHostSecret(),
                            "remove_address for agent '" + remove.getName() + "'"), remove.getAlias());
                }
                case PING -> response.setPong(Pong.newBuilder().setServerId(serverId));
                case STOP_AGENTS -> response.setAgents(hosts.stop(request.getStopAgents().getNamesList()));
                case SHUTDOWN -> {
                    if (!acceptsShutdown) {
                        throw new IllegalStateException("this name server is embedded in a program, which decides"
                                + " when it ends; shut it down there");
                    }
                    LOG.info("Name server {} on {} was asked to shut down", serverId, address);
                    shutdownRequested.complete(null);
                }
                case EVICT -> response.setAgent(evict(request.getEvict().getName()));
                case BODY_NOT_SET -> throw new IllegalArgumentException("the request has no body");
            }
            return response.build();
        } catch (DuplicateAgentNameException e) {
            long count = refused.incrementAndGet();
            LOG.debug("Name server on {} refused {}: {} ({} refused so far)", address, operation(request),
                    e.getMessage(), count);
            return refusal(request, Status.DUPLICATE_NAME, e);
        } catch (UnknownAgentException e) {
            return refusal(request, Status.UNKNOWN_AGENT, e);
        } catch (RegistryFullException e) {
            long count = full.incrementAndGet();
            refusals.warn(peerHost, "Name server on {} refused {} from {}: {} ({} refused as full so far)", address,
                    operation(request), peerHost, e.getMessage(), count);
            return refusal(request, Status.FULL, e);
        } catch (NotOwnerException e) {
            long count = refused.incrementAndGet();
            refusals.warn(peerHost, "Name server on {} refused {} from {}: {} ({} refused so far)", address,
                    operation(request), peerHost, e.getMessage(), count);
            return refusal(request, Status.NOT_OWNER, e);
        } catch (IllegalArgumentException e) {
            return refusal(request, Status.BAD_REQUEST, e);
        } catch (RuntimeException e) {
            LOG.error("Name server on {} failed to serve request {} ({})",
                    address, request.getRequestId(), request.getBodyCase(), e);
            return refusal(request, Status.ERROR, e);
        }
    }

    private void register(Request request, @Nullable String clientKey) {
        if (!request.getRegister().hasAgent()) {
            throw new IllegalArgumentException("register has no agent entry");
        }
        AgentEntry agent = ServerKeys.recorded(request.getRegister().getAgent(), clientKey);
        registry.register(agent, OwnerKey.ofSecret(request.getRegister().getHostSecret(),
                "register of agent '" + agent.getName() + "'"));
        LOG.debug("Registered agent '{}' of host {}", agent.getName(), agent.getHostId());
    }

    private void unregister(Unregister unregister) {
        OwnerKey owner = OwnerKey.ofSecret(unregister.getHostSecret(),
                "unregister of agent '" + unregister.getName() + "'");
        if (!registry.unregister(unregister.getName(), owner)) {
            throw unknown(unregister.getName());
        }
        hosts.gone(unregister.getName());
        LOG.debug("Unregistered agent '{}'", unregister.getName());
    }

    private AgentEntry evict(String name) {
        AgentEntry evicted = registry.evict(name).orElseThrow(() -> unknown(name));
        hosts.gone(name);
        LOG.info("Name server on {}: an admin evicted agent '{}' of host {}", address, name, evicted.getHostId());
        return evicted.toBuilder().clearLeaseRemainingMs().build();
    }

    /** The operation's name as the protocol spells it, for messages: {@code stop_agents}, {@code shutdown}. */
    static String operation(Request request) {
        return request.getBodyCase().name().toLowerCase(Locale.ROOT);
    }

    private AgentEntry lookup(String name) {
        return registry.lookup(name).orElseThrow(() -> unknown(name));
    }

    private static UnknownAgentException unknown(String name) {
        return new UnknownAgentException("No agent named '" + name + "' is registered");
    }

    private static Response refusal(Request request, Status status, RuntimeException e) {
        String message = e.getMessage();
        return Response.newBuilder()
                .setRequestId(request.getRequestId())
                .setStatus(status)
                .setError(message == null ? e.getClass().getName() : message)
                .build();
    }
}
