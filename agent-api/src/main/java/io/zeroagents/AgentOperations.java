package io.zeroagents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What can be done to an agent, from its own handlers ({@link Agent}) or from any thread through
 * a {@link Proxy}.
 *
 * <p>Sockets belong to the agent's loop thread: whoever calls these methods, socket work runs
 * there. Errors name the agent and the alias: {@code Agent 'Bob' has no socket with alias 'main'
 * (aliases: [in, out])}.
 *
 * @since 0.1
 */
public interface AgentOperations {

    /**
     * The agent's name, unique on its name server.
     *
     * @return the name
     */
    String name();

    /**
     * Binds a socket with the agent's default transport, codec and a random port.
     *
     * @param pattern the socket's pattern
     * @param alias   the socket's alias, unique within the agent
     * @return the address actually bound
     */
    default AgentAddress bind(Pattern pattern, String alias) {
        return bind(pattern, alias, BindOptions.defaults());
    }

    /**
     * Binds a socket that handles what it receives.
     *
     * @param pattern the socket's pattern
     * @param alias   the socket's alias, unique within the agent
     * @param handler what to do with received messages
     * @return the address actually bound
     */
    default AgentAddress bind(Pattern pattern, String alias, SocketHandler handler) {
        return bind(pattern, alias, BindOptions.builder().handler(handler).build());
    }

    /**
     * Binds a {@code PULL} or {@code SUB} socket whose messages go to a handler.
     *
     * @param pattern the socket's pattern
     * @param alias   the socket's alias, unique within the agent
     * @param type    the type messages are decoded into
     * @param handler the handler
     * @param <T>     the message type
     * @return the address actually bound
     */
    default <T> AgentAddress bind(Pattern pattern, String alias, Class<T> type, MessageHandler<? super T> handler) {
        return bind(pattern, alias, SocketHandler.onMessage(type, handler));
    }

    /**
     * Binds a socket (the agent becomes a server of the pattern).
     *
     * @param pattern the socket's pattern
     * @param alias   the socket's alias, unique within the agent
     * @param options transport, address, codec and handler
     * @return the address actually bound, with its real port
     * @throws AgentException when the alias is taken or the address cannot be bound
     */
    AgentAddress bind(Pattern pattern, String alias, BindOptions options);

    /**
     * Connects a client socket of the address's twin pattern, without a handler.
     *
     * @param address an address another agent bound
     * @param alias   the new socket's alias
     * @return the address as this side sees it, {@link AgentAddress#twin()}
     */
    AgentAddress connect(AgentAddress address, String alias);

    /**
     * Connects a client socket that handles what it receives.
     *
     * @param address an address another agent bound
     * @param alias   the new socket's alias
     * @param handler what to do with received messages (on {@code ASYNC_REQ} and {@code SYNC_SUB}:
     *                with replies, and on {@code SYNC_SUB} with publications too)
     * @return the address as this side sees it, {@link AgentAddress#twin()}
     */
    AgentAddress connect(AgentAddress address, String alias, SocketHandler handler);

    /**
     * Connects a client socket whose messages go to a handler ({@code PULL} or {@code SUB} side).
     *
     * @param address an address another agent bound
     * @param alias   the new socket's alias
     * @param type    the type messages are decoded into
     * @param handler the handler
     * @param <T>     the message type
     * @return the address as this side sees it, {@link AgentAddress#twin()}
     */
    default <T> AgentAddress connect(AgentAddress address, String alias, Class<T> type,
                                     MessageHandler<? super T> handler) {
        return connect(address, alias, SocketHandler.onMessage(type, handler));
    }

    /**
     * Sends a message (for {@code PUB}, with the empty topic).
     *
     * @param alias   the socket's alias
     * @param message the message, encoded with the socket's codec
     * @throws UnknownAliasException    when there is no such socket
     * @throws PatternMismatchException when the socket cannot send
     */
    void send(String alias, Object message);

    /**
     * Sends a message on the socket that uses an address (osBrain's {@code send(address, message)}):
     * the address a socket of this agent was bound to, or the one it connected to.
     *
     * <p>The socket is looked up by address on each call, which {@link #send(String, Object)} does
     * not need: prefer the alias where messages flow often.
     *
     * @param address the address, as {@link #bind} or {@link #connect} returned it, or as given to
     *                {@code connect}
     * @param message the message, encoded with the socket's codec
     * @throws UnknownAliasException    when no socket of the agent uses that address
     * @throws PatternMismatchException when the socket cannot send
     * @since 0.1
     */
    default void send(AgentAddress address, Object message) {
        send(aliasOf(address), message);
    }

    /**
     * Publishes a message under a topic on the {@code PUB} socket that uses an address.
     *
     * @param address the address the socket was bound or connected to
     * @param topic   the topic subscribers filter on by prefix
     * @param message the message
     * @throws UnknownAliasException when no socket of the agent uses that address
     * @since 0.1
     */
    default void send(AgentAddress address, String topic, Object message) {
        send(aliasOf(address), topic, message);
    }

    /**
     * The alias of the socket that uses an address: a socket bound to it, or connected to it.
     *
     * <p>An address matches a socket when its endpoint is the socket's and its pattern is either
     * side's: the bound side's address, as {@link #bind} returns it and clients connect to, or the
     * client side's, as {@link #connect} returns it.
     *
     * @param address the address
     * @return the socket's alias
     * @throws UnknownAliasException when no socket of the agent uses that address, naming the
     *                               agent's sockets
     * @throws AgentException        when several sockets use it (two connections to one address,
     *                               or an agent connected to its own socket), naming their aliases
     * @since 0.1
     */
    default String aliasOf(AgentAddress address) {
        Map<String, AgentAddress> sockets = sockets();
        Pattern pattern = address.pattern();
        Pattern twin = pattern.twin();
        String found = null;
        for (Map.Entry<String, AgentAddress> socket : sockets.entrySet()) {
            AgentAddress used = socket.getValue();
            if (used.endpoint().equals(address.endpoint()) && (used.pattern() == pattern || used.pattern() == twin)) {
                if (found != null) {
                    throw new AgentException("Agent '" + name() + "' has several sockets using " + address.endpoint()
                            + " (aliases: " + found + ", " + socket.getKey() + "); send by alias instead");
                }
                found = socket.getKey();
            }
        }
        if (found == null) {
            throw new UnknownAliasException("Agent '" + name() + "' has no socket bound or connected to "
                    + address.endpoint() + " (" + pattern + "); its sockets: " + sockets);
        }
        return found;
    }

    /**
     * Sends an asynchronous request on an {@code ASYNC_REQ} or {@code SYNC_SUB} socket and returns
     * at once; the reply goes to the request's handler, else the connection's.
     *
     * @param alias   the socket's alias
     * @param request the request
     * @param options the reply's handler, wait and what to do when it does not come
     * @throws PatternMismatchException when the socket does not make asynchronous requests
     */
    void request(String alias, Object request, RequestOptions options);

    /**
     * Subscribes a {@code SUB} or {@code SYNC_SUB} socket to one more topic prefix, handled by the
     * socket's handler (for {@code onTopics} handlers: by the handlers whose prefixes match).
     *
     * @param alias the socket's alias
     * @param topic the topic prefix; empty for every topic
     * @throws PatternMismatchException when the socket does not subscribe
     */
    void subscribe(String alias, String topic);

    /**
     * Subscribes a {@code SUB} or {@code SYNC_SUB} socket to a topic prefix with a handler of its
     * own (osBrain's {@code subscribe(alias, {topic: handler})}).
     *
     * @param alias   the socket's alias
     * @param topic   the topic prefix
     * @param type    the type to decode messages of this topic into
     * @param handler the handler
     * @param <T>     the message type
     */
    <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler);

    /**
     * Stops receiving a topic prefix: its subscription is cancelled and its own handler removed.
     *
     * @param alias the socket's alias
     * @param topic a prefix subscribed before
     * @throws AgentException when the socket is not subscribed to {@code topic}
     */
    void unsubscribe(String alias, String topic);

    /**
     * Publishes a message under a topic on a {@code PUB} socket.
     *
     * @param alias   the socket's alias
     * @param topic   the topic subscribers filter on by prefix
     * @param message the message
     */
    void send(String alias, String topic, Object message);

    /**
     * Receives one message from a socket that has no handler, waiting up to the default timeout.
     *
     * @param alias the socket's alias
     * @param type  the type to decode into
     * @param <T>   the message type
     * @return the message
     * @throws AgentTimeoutException     when nothing arrived in time
     * @throws MessageDecodingException when the message cannot be decoded as {@code type}
     */
    <T> T recv(String alias, Class<T> type);

    /**
     * Receives one message from a socket that has no handler.
     *
     * @param alias   the socket's alias
     * @param type    the type to decode into
     * @param timeout how long to wait
     * @param <T>     the message type
     * @return the message
     * @throws AgentTimeoutException     when nothing arrived in time
     * @throws MessageDecodingException when the message cannot be decoded as {@code type}
     */
    <T> T recv(String alias, Class<T> type, Duration timeout);

    /**
     * Sends a request on a {@code REQ} socket and waits for its reply.
     *
     * @param alias   the socket's alias
     * @param request the request
     * @param type    the type to decode the reply into
     * @param <T>     the reply type
     * @return the reply
     * @throws RemoteAgentException when the replier's handler failed
     */
    <T> T sendRecv(String alias, Object request, Class<T> type);

    /**
     * Runs an action every {@code period}, first after one period; a slow action delays the next
     * tick instead of piling ticks up.
     *
     * @param period the period, more than zero
     * @param action the action
     * @return the timer's generated alias
     */
    String each(Duration period, TimerAction action);

    /**
     * Runs an action every {@code period} under a chosen alias.
     *
     * @param period the period, more than zero
     * @param action the action
     * @param alias  the timer's alias, unique within the agent
     * @return {@code alias}
     */
    String each(Duration period, TimerAction action, String alias);

    /**
     * Runs an action once after {@code delay}.
     *
     * @param delay  the delay, zero or more
     * @param action the action
     * @return the timer's generated alias
     */
    String after(Duration delay, TimerAction action);

    /**
     * Runs an action once after {@code delay} under a chosen alias.
     *
     * @param delay  the delay, zero or more
     * @param action the action
     * @param alias  the timer's alias, unique within the agent
     * @return {@code alias}
     */
    String after(Duration delay, TimerAction action, String alias);

    /**
     * Calls a method of the agent by name every {@code period} (osBrain's
     * {@code each(period, 'method')}); unlike a {@link TimerAction}, this works through proxies of
     * other processes, since only the name and the arguments travel.
     *
     * @param period the period, more than zero
     * @param method a method added with {@link #setMethod} or a public method of the agent's class
     * @param args   its arguments
     * @return the timer's generated alias
     */
    String each(Duration period, String method, @Nullable Object... args);

    /**
     * Calls a method of the agent by name once after {@code delay}.
     *
     * @param delay  the delay, zero or more
     * @param method a method added with {@link #setMethod} or a public method of the agent's class
     * @param args   its arguments
     * @return the timer's generated alias
     */
    String after(Duration delay, String method, @Nullable Object... args);

    /**
     * Calls a method of the agent by name every {@code period} under a chosen alias (osBrain's
     * {@code each(period, 'method', alias=...)}), so that it can be stopped by that alias. The alias
     * comes first because the method's arguments take the end of the parameter list.
     *
     * @param alias  the timer's alias, unique within the agent
     * @param period the period, more than zero
     * @param method a method added with {@link #setMethod} or a public method of the agent's class
     * @param args   its arguments
     * @return {@code alias}
     * @throws AgentException when the agent already has a timer with that alias
     * @since 0.1
     */
    String each(String alias, Duration period, String method, @Nullable Object... args);

    /**
     * Calls a method of the agent by name once after {@code delay}, under a chosen alias.
     *
     * @param alias  the timer's alias, unique within the agent
     * @param delay  the delay, zero or more
     * @param method a method added with {@link #setMethod} or a public method of the agent's class
     * @param args   its arguments
     * @return {@code alias}
     * @throws AgentException when the agent already has a timer with that alias
     * @since 0.1
     */
    String after(String alias, Duration delay, String method, @Nullable Object... args);

    /**
     * Stops a timer.
     *
     * @param alias the timer's alias
     * @throws AgentException when there is no such timer
     */
    void stopTimer(String alias);

    /** Stops every timer of the agent. */
    void stopAllTimers();

    /**
     * The aliases of the agent's running timers.
     *
     * @return the aliases, oldest first
     */
    List<String> listTimers();

    /**
     * Sets an attribute: a field of the agent's class of that name if there is one, else an entry
     * in the agent's attribute map.
     *
     * @param name  the attribute's name
     * @param value its value
     */
    void setAttr(String name, @Nullable Object value);

    /**
     * Sets several attributes.
     *
     * @param attributes values by name
     */
    void setAttrs(Map<String, ?> attributes);

    /**
     * Reads an attribute.
     *
     * @param name the attribute's name
     * @return its value, or {@code null} when it is unset
     */
    @Nullable Object getAttr(String name);

    /**
     * Reads an attribute as a type.
     *
     * @param name the attribute's name
     * @param type the expected type (primitive wrappers accepted for primitive fields)
     * @param <T>  the type
     * @return its value, or {@code null} when it is unset
     * @throws ClassCastException naming the attribute when it holds another type
     */
    <T> @Nullable T getAttr(String name, Class<T> type);

    /**
     * Adds or replaces a method callable by name (osBrain's {@code set_method}).
     *
     * @param name   the method's name
     * @param method the method
     */
    void setMethod(String name, AgentMethod method);

    /**
     * Adds methods named after the Java methods they refer to (osBrain's unnamed
     * {@code set_method(f, g)}): {@code agent.setMethod(Calc::setX, Calc::setY)} adds
     * {@code setX} and {@code setY}. Each must be a method reference to a static method taking
     * {@code (Agent, Object...)}; a lambda has no usable name and is refused.
     *
     * @param methods method references
     * @throws IllegalArgumentException naming the lambda that has no method name
     */
    void setMethod(AgentMethod... methods);

    /**
     * Adds several named methods at once (osBrain's {@code set_method(add=add_xy)}).
     *
     * @param methods methods by name
     */
    void setMethods(Map<String, ? extends AgentMethod> methods);

    /**
     * Runs a function inside the agent and returns its result (osBrain's
     * {@code execute_as_function}); the function does not see the agent.
     *
     * @param function the function
     * @param args     its arguments
     * @return its result, or {@code null}
     * @throws RemoteAgentException when the function threw; the cause is the original exception
     */
    @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args);

    /**
     * Runs a function inside the agent as if it were one of its methods, with the agent as its
     * first argument (osBrain's {@code execute_as_method}).
     *
     * @param method the function
     * @param args   its other arguments
     * @return its result, or {@code null}
     * @throws RemoteAgentException when the function threw; the cause is the original exception
     */
    @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args);

    /**
     * Calls a method by name: one added with {@link #setMethod}, else a public method of the
     * agent's class with that many parameters.
     *
     * @param method the method's name
     * @param args   its arguments
     * @return its result, or {@code null}
     * @throws RemoteAgentException when the method threw; the cause is the original exception
     * @throws AgentException       when there is no such method
     */
    @Nullable Object call(String method, @Nullable Object... args);

    /**
     * Calls a method by name and casts its result.
     *
     * @param resultType the expected type of the result
     * @param method     the method's name
     * @param args       its arguments
     * @param <T>        the result type
     * @return its result, or {@code null}
     */
    <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args);

    /**
     * The address a socket is bound or connected to.
     *
     * @param alias the socket's alias
     * @return the address
     * @throws UnknownAliasException when there is no such socket
     */
    AgentAddress addr(String alias);

    /**
     * Whether the agent has a socket with this alias.
     *
     * @param alias the alias
     * @return {@code true} when it has
     */
    boolean hasSocket(String alias);

    /**
     * The aliases of the agent's sockets and the addresses they use.
     *
     * @return addresses by alias, in creation order
     */
    Map<String, AgentAddress> sockets();

    /**
     * Closes a socket, waiting up to the agent's linger for unsent messages. Peers are not told.
     *
     * @param alias the socket's alias
     * @throws UnknownAliasException when there is no such socket
     */
    void close(String alias);

    /**
     * Closes a socket, waiting up to {@code linger} for unsent messages instead of the agent's
     * linger.
     *
     * @param alias  the socket's alias
     * @param linger how long unsent messages may still leave; zero drops them
     * @throws UnknownAliasException when there is no such socket
     */
    void close(String alias, Duration linger);

    /** Closes every socket of the agent, each with the agent's linger. */
    void closeAll();

    /**
     * Closes every socket of the agent with one linger.
     *
     * @param linger how long unsent messages may still leave; zero drops them
     */
    void closeAll(Duration linger);

    /**
     * Sends this agent's log lines ({@code logInfo} and the like) to a logger agent as well, bound
     * at {@code loggerAddress} (osBrain's {@code set_logger}); see {@link Agents#runLogger}.
     *
     * @param loggerAddress the logger's {@value Agents#LOGGER_ALIAS} address
     */
    void setLogger(AgentAddress loggerAddress);

    /**
     * Sends this agent's log lines to a logger agent as well.
     *
     * @param logger a proxy to the logger agent, as {@link Agents#runLogger} returns
     */
    default void setLogger(AgentOperations logger) {
        setLogger(logger.addr(Agents.LOGGER_ALIAS));
    }

    /**
     * Logs at a level, through the agent: to its Log4j logger {@code io.zeroagents.agent.<name>}
     * and to its logger agent, when it has one.
     *
     * @param level   {@code INFO}, {@code WARN}, {@code ERROR} or {@code DEBUG}
     * @param message the message
     * @throws IllegalArgumentException for another level
     */
    void log(String level, String message);

    /**
     * Stops the agent's work without ending it (osBrain's {@code stop}): its handlers and timers no
     * longer run, received messages wait in their sockets, and {@code isRunning} is {@code false};
     * its sockets, attributes and name stay, proxy calls still work, and {@link #resume} starts it
     * again.
     */
    void stop();

    /** Starts a {@linkplain #stop() stopped} agent's handlers and timers again (osBrain's {@code run}). */
    void resume();

    /**
     * Stops the agent: timers stop, sockets close with linger, its name is released. Returns when
     * it has stopped (for an agent of another process: when its host accepted the stop); calling it
     * again does nothing.
     */
    void shutdown();
}
