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
     */
    void connect(AgentAddress address, String alias);

    /**
     * Connects a client socket that handles what it receives.
     *
     * @param address an address another agent bound
     * @param alias   the new socket's alias
     * @param handler what to do with received messages
     */
    void connect(AgentAddress address, String alias, SocketHandler handler);

    /**
     * Connects a client socket whose messages go to a handler ({@code PULL} or {@code SUB} side).
     *
     * @param address an address another agent bound
     * @param alias   the new socket's alias
     * @param type    the type messages are decoded into
     * @param handler the handler
     * @param <T>     the message type
     */
    default <T> void connect(AgentAddress address, String alias, Class<T> type, MessageHandler<? super T> handler) {
        connect(address, alias, SocketHandler.onMessage(type, handler));
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

    /** Closes every socket of the agent, each with the agent's linger. */
    void closeAll();

    /**
     * Stops the agent: timers stop, sockets close with linger, its name is released. Returns when
     * it has stopped (for an agent of another process: when its host accepted the stop); calling it
     * again does nothing.
     */
    void shutdown();
}
