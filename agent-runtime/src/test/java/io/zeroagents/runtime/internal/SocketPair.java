package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.SocketHandler;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Test support for {@link Outbox} and {@link Inbox} without an agent: one agent's send and
 * receive sides over a running {@link AgentLoop} that does nothing of its own, and sockets made
 * by hand, bound and connected in pairs. Every call to the two sides goes through {@link #onLoop},
 * as it does in an agent; closing closes the sockets, the loop and the context.
 */
final class SocketPair implements AutoCloseable {
    static final String AGENT = "Tester";
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final ZContext context = new ZContext(1);
    final EnvelopeCodec envelopes = new EnvelopeCodec(CodecRegistry.standard(), 64 * 1024);
    final Settings settings;
    final AgentSocketFactory factory;
    final AgentLoop loop;
    final AgentLog log;
    final PendingRequests pending = new PendingRequests();
    /** What handlers reported as failures, as "where: exception". */
    final List<String> failures = new ArrayList<>();
    final Outbox outbox;
    final Inbox inbox;
    private final List<AgentSocket> sockets = new ArrayList<>();

    /**
     * @param batchSends  the agent option: how many messages a PUSH socket batches (1: none)
     * @param sendTimeout how long a send waits for a peer to take a message
     */
    SocketPair(int batchSends, Duration sendTimeout) {
        settings = Settings.from(Map.of("zeroagents.default.linger", "0")::get, Map.of());
        factory = new AgentSocketFactory(AGENT, context, settings, envelopes.maxFrameBytes(), null);
        loop = new AgentLoop(AGENT, sendTimeout.plus(TIMEOUT), 0, Integer.MAX_VALUE);
        log = new AgentLog(AGENT, envelopes, loop);
        SocketDispatch.Resolver noMethods = (handler, pattern, alias) ->
                SocketDispatch.resolve(handler, pattern, AGENT, alias, new AgentMethods(AGENT, agentStandIn(), this));
        outbox = new Outbox(AGENT, envelopes, loop, log, pending, noMethods, sendTimeout, batchSends, false);
        inbox = new Inbox(AGENT, envelopes, loop, log, outbox, pending, new Inbox.Handlers() {
            @Override
            public Agent agent() {
                return agentStandIn();
            }

            @Override
            public void failed(String where, Exception e) {
                failures.add(where + ": " + e);
            }
        });
        loop.start(new IdleBody());
    }

    /** Runs {@code action} on the loop thread, as an agent's operations run. */
    <T> T onLoop(Callable<T> action) {
        return loop.onLoop("test", action);
    }

    /** A socket of {@code pattern} bound to {@code endpoint}, with {@code handler} when not {@code null}. */
    AgentSocket bind(Pattern pattern, String alias, String endpoint, @Nullable SocketHandler handler) {
        return onLoop(() -> {
            ZMQ.Socket zs = factory.create(AgentSocket.mainType(pattern));
            factory.bind(zs, endpoint, alias, pattern);
            return add(new AgentSocket(alias, pattern, true,
                    new AgentAddress(zs.getLastEndpoint(), pattern, Codec.JSON, false, null), zs, null,
                    dispatch(handler, pattern, alias), envelopes));
        });
    }

    /** A socket of the pattern that connects to {@code server}'s, with {@code handler} when not {@code null}. */
    AgentSocket connect(AgentSocket server, String alias, @Nullable SocketHandler handler) {
        return onLoop(() -> {
            Pattern pattern = server.address.clientPattern();
            ZMQ.Socket zs = factory.create(AgentSocket.mainType(pattern));
            factory.connect(zs, server.address.endpoint(), server.address.serverKey(), alias, pattern);
            return add(new AgentSocket(alias, pattern, false, server.address, zs, null,
                    dispatch(handler, pattern, alias), envelopes));
        });
    }

    private @Nullable SocketDispatch dispatch(@Nullable SocketHandler handler, Pattern pattern, String alias) {
        return handler == null ? null
                : SocketDispatch.resolve(handler, pattern, AGENT, alias, new AgentMethods(AGENT, agentStandIn(), this));
    }

    private AgentSocket add(AgentSocket s) {
        sockets.add(s);
        return s;
    }

    /** Has the inbox take what its sockets received until {@code done} holds, on the loop; fails after the timeout. */
    void receiveUntil(List<AgentSocket> from, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        AgentSocket[] watched = from.toArray(AgentSocket[]::new);
        while (!onLoop(() -> {
            inbox.receive(watched);
            return done.getAsBoolean();
        })) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Nothing done within " + TIMEOUT.toMillis() + " ms");
            }
            Thread.onSpinWait();
        }
    }

    /** A ZeroMQ socket of {@code type} connected to {@code s}, for a test to act as a plain peer. */
    ZMQ.Socket rawPeer(SocketType type, AgentSocket s) {
        ZMQ.Socket zs = context.createSocket(type);
        zs.setLinger(0);
        zs.setReceiveTimeOut((int) TIMEOUT.toMillis());
        zs.connect(s.address.endpoint());
        return zs;
    }

    private static Agent agentStandIn() {
        return (Agent) java.lang.reflect.Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[]{Agent.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return "stand-in agent";
                    }
                    throw new UnsupportedOperationException(method.getName() + " on the stand-in agent");
                });
    }

    @Override
    public void close() {
        try {
            onLoop(() -> {
                for (AgentSocket s : sockets) {
                    s.open = false;
                    s.socket.close();
                }
                return null;
            });
        } finally {
            loop.requestStop();
            loop.awaitStopped();
            context.close();
        }
    }

    /** A loop that only runs the tasks it is given. */
    private static final class IdleBody implements AgentLoop.Body {
        @Override
        public void create() {
        }

        @Override
        public void init() {
        }

        @Override
        public void beforeLoop() {
        }

        @Override
        public boolean work() {
            return false;
        }

        @Override
        public void endTurn() {
        }

        @Override
        public long nanosUntilNext(long now) {
            return -1;
        }

        @Override
        public boolean hasDeadlines() {
            return false;
        }

        @Override
        public void arrived(LoopWait.Arrival arrival) {
        }

        @Override
        public void idle() {
        }

        @Override
        public void close() {
        }

        @Override
        public void ended() {
        }
    }
}
