package io.zeroagents.runtime.internal;

import io.zeroagents.sockets.SocketEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The events of a subscription: waits for the next one in slices of the manager's timeout (its
 * polling timeout when the timeout is zero) while
 * the caller's condition holds and the socket is open. Used on the manager's thread.
 */
final class EventIterator<T> implements Iterator<SocketEvent<T>> {
    private final JeroMqSocketManager manager;
    private final String name;
    private final Class<T> type;
    private final BooleanSupplier keepPolling;
    private @Nullable SocketEvent<T> next;

    EventIterator(JeroMqSocketManager manager, String name, Class<T> type, BooleanSupplier keepPolling) {
        this.manager = manager;
        this.name = name;
        this.type = type;
        this.keepPolling = keepPolling;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (!manager.holds(name) || !keepPolling.getAsBoolean()) {
                return false;
            }
            // A zero timeout would turn the wait into a spin; the polling timeout bounds each slice then.
            Duration slice = manager.options().timeout().isZero() ? manager.options().pollingTimeout()
                    : manager.options().timeout();
            Optional<SocketEvent<T>> event = manager.recvEvent(name, type, slice);
            next = event.orElse(null);
        }
        return true;
    }

    @Override
    public SocketEvent<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The subscription of socket '" + name + "' has ended");
        }
        SocketEvent<T> event = next;
        next = null;
        return event;
    }
}
