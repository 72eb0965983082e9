package io.zeroagents.it.support;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Binds an endpoint a closed socket just released: ZeroMQ closes a listening socket in the
 * background, so the port may still be taken for a moment after {@code close} returns.
 */
public final class Rebind {
    private Rebind() {
    }

    /** Binds {@code endpoint} as soon as it is free, within ten seconds. */
    public static AgentAddress whenFree(Proxy agent, Pattern pattern, String alias, String endpoint,
                                        SocketHandler handler) {
        AtomicReference<AgentAddress> bound = new AtomicReference<>();
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                bound.set(agent.bind(pattern, alias, BindOptions.builder().address(endpoint).handler(handler).build()));
                return true;
            } catch (AgentException e) {
                return false;
            }
        }, () -> endpoint + " to be free again");
        return bound.get();
    }
}
