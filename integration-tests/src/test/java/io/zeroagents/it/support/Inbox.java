package io.zeroagents.it.support;

import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what handlers received, across threads, and waits for it. */
public final class Inbox<T> {
    private final List<T> items = new CopyOnWriteArrayList<>();

    public void add(T item) {
        items.add(item);
    }

    public List<T> items() {
        return new ArrayList<>(items);
    }

    public int size() {
        return items.size();
    }

    /** Waits until at least {@code count} items arrived and returns them. */
    public List<T> await(int count) {
        Await.until(Duration.ofSeconds(10), () -> items.size() >= count,
                () -> count + " items (have " + items + ")");
        return items();
    }
}
