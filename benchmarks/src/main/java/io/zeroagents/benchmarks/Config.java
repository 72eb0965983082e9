package io.zeroagents.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one harness run measures and how much: {@code key=value} arguments (a leading {@code --}
 * is allowed, and one argument may hold several separated by spaces, as {@code -Dbench.args}
 * passes them). Unknown keys are refused with the list of known ones.
 */
record Config(
        List<String> scenarios,
        List<Integer> payloads,
        int trials,
        int warmups,
        int warmupsMax,
        int messages,
        int roundTrips,
        int turn,
        int fanOutMessages,
        int subscribers,
        String fanOutTransport,
        int calls,
        int starts,
        int capacityPlain,
        int capacityBound,
        List<String> capacityModes,
        int registrations,
        int lookups,
        int registrationClients,
        int spinMicros,
        int highWaterMark,
        int batch,
        Path out) {

    static final List<String> ALL_SCENARIOS = List.of("push-tcp", "push-inproc", "reqrep-tcp", "pubsub",
            "proxy-local", "proxy-remote", "agent-start", "nameserver", "capacity");
    static final List<String> CAPACITY_MODES = List.of("none", "push", "pull");

    /** Defaults: a full run of a few minutes on two cores. */
    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("scenarios", String.join(",", ALL_SCENARIOS));
        d.put("payloads", "16,1024");
        d.put("trials", "5");
        d.put("warmups", "1");
        // The most warm-up trials a latency scenario runs while the JIT compilers of its JVMs are
        // still busy: on 2 cores a C2 compilation takes a core from the round trips for a scheduler
        // slice (4 ms), which put every fast path still being compiled into the p99.
        d.put("warmups-max", "12");
        d.put("messages", "2000000");
        d.put("roundtrips", "10000");
        // Round trips each side makes before the other takes its turn, within a latency trial; 0 gives
        // each side the whole trial at once. Short turns put both sides in the same moments of a
        // machine whose round-trip time can double from one second to the next.
        d.put("turn", "500");
        d.put("fanout-messages", "20000");
        d.put("subscribers", "10");
        d.put("fanout-transport", "tcp");
        d.put("calls", "10000");
        d.put("starts", "500");
        d.put("capacity-plain", "10000");
        d.put("capacity-bound", "3000");
        d.put("capacity-modes", String.join(",", CAPACITY_MODES));
        d.put("registrations", "10000");
        d.put("lookups", "10000");
        // The clients of the extra name-server rows that register at once; 1 leaves them out.
        d.put("registration-clients", "4");
        // The spinWait of the extra round-trip rows that show the busy-polling option; 0 leaves them out.
        d.put("spin", "500");
        // The high-water mark of the extra PUSH→PULL tcp rows (all four sockets); 0 leaves them out.
        d.put("hwm", "100000");
        // The batchSends of the extra PUSH→PULL tcp rows; 1 leaves them out.
        d.put("batch", "64");
        d.put("out", "target/bench-reports");
        return d;
    }

    /** A tiny run for the smoke test: every scenario, a few seconds in all. */
    static final Map<String, String> QUICK = Map.ofEntries(
            Map.entry("trials", "1"), Map.entry("warmups", "0"), Map.entry("warmups-max", "0"), Map.entry("messages", "2000"),
            Map.entry("roundtrips", "200"), Map.entry("fanout-messages", "500"), Map.entry("subscribers", "3"),
            Map.entry("calls", "200"), Map.entry("starts", "20"), Map.entry("capacity-plain", "20"),
            Map.entry("capacity-bound", "10"), Map.entry("registrations", "200"), Map.entry("lookups", "200"),
            Map.entry("registration-clients", "2"));

    static Config parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        List<String> tokens = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(t -> !t.isBlank()).toList();
        for (String token : tokens) {
            String t = token.startsWith("--") ? token.substring(2) : token;
            if (t.equals("defaults")) {
                continue;
            }
            if (t.equals("quick")) {
                values.putAll(QUICK);
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Argument '" + token + "' is not key=value; keys: "
                        + DEFAULTS.keySet() + ", or 'quick'");
            }
            String key = t.substring(0, eq);
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("Unknown option '" + key + "'; known: " + DEFAULTS.keySet());
            }
            values.put(key, t.substring(eq + 1));
        }
        List<String> scenarios = list(values.get("scenarios"));
        scenarios.stream().filter(s -> !ALL_SCENARIOS.contains(s)).findFirst().ifPresent(s -> {
            throw new IllegalArgumentException("Unknown scenario '" + s + "'; known: " + ALL_SCENARIOS);
        });
        List<String> modes = list(values.get("capacity-modes"));
        modes.stream().filter(s -> !CAPACITY_MODES.contains(s)).findFirst().ifPresent(s -> {
            throw new IllegalArgumentException("Unknown capacity mode '" + s + "'; known: " + CAPACITY_MODES);
        });
        String transport = values.get("fanout-transport");
        if (!Set.of("tcp", "inproc").contains(transport)) {
            throw new IllegalArgumentException("fanout-transport is tcp or inproc, not '" + transport + "'");
        }
        return new Config(scenarios,
                list(values.get("payloads")).stream().map(Integer::parseInt).toList(),
                positive(values, "trials"), nonNegative(values, "warmups"),
                nonNegative(values, "warmups-max"), positive(values, "messages"),
                positive(values, "roundtrips"), nonNegative(values, "turn"), positive(values, "fanout-messages"),
                positive(values, "subscribers"), transport, positive(values, "calls"), positive(values, "starts"),
                positive(values, "capacity-plain"), positive(values, "capacity-bound"), modes, positive(values, "registrations"),
                positive(values, "lookups"), positive(values, "registration-clients"), nonNegative(values, "spin"),
                nonNegative(values, "hwm"), positive(values, "batch"), Path.of(values.get("out")));
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** The options as given, for the report. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scenarios", scenarios);
        d.put("payloads", payloads);
        d.put("trials", trials);
        d.put("warmups", warmups);
        d.put("warmups-max", warmupsMax);
        d.put("messages", messages);
        d.put("roundtrips", roundTrips);
        d.put("turn", turn);
        d.put("fanout-messages", fanOutMessages);
        d.put("subscribers", subscribers);
        d.put("fanout-transport", fanOutTransport);
        d.put("calls", calls);
        d.put("starts", starts);
        d.put("capacity-plain", capacityPlain);
        d.put("capacity-bound", capacityBound);
        d.put("capacity-modes", capacityModes);
        d.put("registrations", registrations);
        d.put("lookups", lookups);
        d.put("registration-clients", registrationClients);
        d.put("spin", spinMicros);
        d.put("hwm", highWaterMark);
        d.put("batch", batch);
        return d;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int positive(Map<String, String> values, String key) {
        int n = nonNegative(values, key);
        if (n == 0) {
            throw new IllegalArgumentException(key + " must be more than zero");
        }
        return n;
    }

    private static int nonNegative(Map<String, String> values, String key) {
        int n;
        try {
            n = Integer.parseInt(values.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + values.get(key) + "'", e);
        }
        if (n < 0) {
            throw new IllegalArgumentException(key + " must not be negative");
        }
        return n;
    }
}
