package io.zeroagents.it.distributed;

import io.zeroagents.BaseAgent;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent each host runs: it keeps what its handlers receive and answers requests, so tests in
 * another process can wire it up by method name and read what arrived.
 */
public class Collector extends BaseAgent {
    private final List<Object> received = new ArrayList<>();

    /**
     * A message handler: keeps the message.
     *
     * @param message the message
     */
    public void collect(Object message) {
        received.add(message);
    }

    /**
     * A request handler: answers with the request and this agent's name.
     *
     * @param request the request
     * @return {@code "<request> from <name>"}
     */
    public String answer(Object request) {
        return request + " from " + name();
    }

    /**
     * What arrived so far.
     *
     * @return a copy, oldest first
     */
    public List<Object> received() {
        return List.copyOf(received);
    }

    /**
     * The host this agent runs on, as the container sees itself.
     *
     * @return the host name
     */
    public String hostName() {
        return System.getenv().getOrDefault("HOSTNAME", "?");
    }
}
