package io.zeroagents.nameserver.console;

import io.zeroagents.nameserver.NameServerService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the console port offers machines rather than people: {@code GET /healthz} for probes
 * (200 {@code ok} while the name server answers its registry, 503 otherwise) and
 * {@code GET /metrics} in Prometheus' text format (version 0.0.4): the registered agents, requests
 * refused or dropped, and the JVM's heap and threads. Both are read-only and carry no names, ids or
 * secrets, so they answer in read-only mode too.
 */
final class OperatorEndpoints {
    /** The content type Prometheus scrapes. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final NameServerService service;

    OperatorEndpoints(NameServerService service) {
        this.service = service;
    }

    /** Whether the name server serves: its registry answers. */
    boolean healthy() {
        try {
            service.registry().list();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The metrics page. */
    byte[] metrics() {
        StringBuilder out = new StringBuilder();
        boolean healthy = healthy();
        gauge(out, "zeroagents_nameserver_up", "1 while the name server answers its registry.", healthy ? 1 : 0);
        gauge(out, "zeroagents_nameserver_agents", "Agents registered and alive.",
                healthy ? service.registry().list().size() : 0);
        counter(out, "zeroagents_nameserver_requests_refused_total",
                "Requests refused: a forbidden operation, a name owned by another host.", service.refusedRequests());
        counter(out, "zeroagents_nameserver_requests_dropped_total",
                "Requests dropped as malformed (frames, protocol, version).", service.droppedRequests());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        gauge(out, "zeroagents_jvm_heap_used_bytes", "Heap in use.", memory.getHeapMemoryUsage().getUsed());
        gauge(out, "zeroagents_jvm_heap_max_bytes", "Largest heap the JVM may use; -1 when unbounded.",
                memory.getHeapMemoryUsage().getMax());
        gauge(out, "zeroagents_jvm_threads", "Live threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        metric(out, name, "gauge", help, value);
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        metric(out, name, "counter", help, value);
    }

    private static void metric(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
    }
}
