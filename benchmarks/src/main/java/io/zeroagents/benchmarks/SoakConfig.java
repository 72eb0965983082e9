package io.zeroagents.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of a soak run ({@code benchmarks/run.sh soak key=value ...}); unknown keys are refused
 * with the list of known ones. Durations are seconds, or a number with {@code s} or {@code m}.
 *
 * @param hosts          host JVMs, each with {@code agents} agents
 * @param agents         agents per host
 * @param baseline       the phase before the attack
 * @param attack         the phase under attack
 * @param recovery       the phase after it
 * @param drain          how long, after the traffic stops, the test waits for the last messages
 * @param rate           numbered messages each agent sends a second
 * @param payload        their size in bytes
 * @param calls          proxy calls a second from the harness, round robin over the agents
 * @param attacks        the floods to run: {@code unending}, {@code subscription}, {@code connections},
 *                       {@code invalid}; empty for none
 * @param connections    idle connections the connection flood holds, in all (half to the name
 *                       server, half to the first host's control endpoint)
 * @param floodKibPerSecond what each streaming flood writes a second, in KiB
 * @param sample         how often each JVM's heap and descriptors are sampled
 * @param heap           the {@code -Xmx} of the name server's and the hosts' JVMs
 * @param out            the report folder
 */
record SoakConfig(int hosts, int agents, Duration baseline, Duration attack, Duration recovery, Duration drain,
                  int rate, int payload, int calls, List<String> attacks, int connections, int floodKibPerSecond,
                  Duration sample, String heap, Path out) {

    static final List<String> ALL_ATTACKS = List.of("unending", "subscription", "connections", "invalid");

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("hosts", "3");
        d.put("agents", "4");
        d.put("baseline", "1m");
        d.put("attack", "3m");
        d.put("recovery", "1m");
        d.put("drain", "30s");
        d.put("rate", "100");
        d.put("payload", "64");
        d.put("calls", "20");
        d.put("attacks", String.join(",", ALL_ATTACKS));
        d.put("connections", "4000");
        d.put("flood-kib", "1024");
        d.put("sample", "5s");
        d.put("heap", "256m");
        d.put("out", "target/bench-reports");
        return d;
    }

    /**
     * Parses {@code key=value} arguments; {@code minutes=N} sets the three phases to a fifth, three
     * fifths and a fifth of {@code N} minutes.
     */
    static SoakConfig parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        List<String> tokens = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(t -> !t.isBlank()).toList();
        for (String token : tokens) {
            String t = token.startsWith("--") ? token.substring(2) : token;
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Argument '" + token + "' is not key=value; keys: "
                        + DEFAULTS.keySet() + " and minutes");
            }
            String key = t.substring(0, eq);
            String value = t.substring(eq + 1);
            if (key.equals("minutes")) {
                long seconds = duration("minutes", value + "m").toSeconds();
                values.put("baseline", seconds / 5 + "s");
                values.put("attack", seconds * 3 / 5 + "s");
                values.put("recovery", seconds / 5 + "s");
                continue;
            }
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("Unknown soak option '" + key + "'; known: " + DEFAULTS.keySet()
                        + " and minutes");
            }
            values.put(key, value);
        }
        List<String> attacks = Arrays.stream(values.get("attacks").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty() && !s.equals("none")).toList();
        attacks.stream().filter(a -> !ALL_ATTACKS.contains(a)).findFirst().ifPresent(a -> {
            throw new IllegalArgumentException("Unknown attack '" + a + "'; known: " + ALL_ATTACKS + " or none");
        });
        if (!values.get("heap").matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("heap is a JVM -Xmx size such as 256m, not '" + values.get("heap") + "'");
        }
        return new SoakConfig(positive(values, "hosts"), positive(values, "agents"),
                duration("baseline", values.get("baseline")), duration("attack", values.get("attack")),
                duration("recovery", values.get("recovery")), duration("drain", values.get("drain")),
                positive(values, "rate"), Math.max(8, positive(values, "payload")), positive(values, "calls"), attacks,
                positive(values, "connections"), positive(values, "flood-kib"), duration("sample", values.get("sample")),
                values.get("heap"), Path.of(values.get("out")));
    }

    /** Whether the attack phase runs flood {@code name}. */
    boolean attacks(String name) {
        return attacks.contains(name);
    }

    /** The options as given, for the report. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hosts", hosts);
        d.put("agents", agents);
        d.put("baseline", baseline.toSeconds() + " s");
        d.put("attack", attack.toSeconds() + " s");
        d.put("recovery", recovery.toSeconds() + " s");
        d.put("drain", drain.toSeconds() + " s");
        d.put("rate", rate);
        d.put("payload", payload);
        d.put("calls", calls);
        d.put("attacks", attacks.isEmpty() ? List.of("none") : attacks);
        d.put("connections", connections);
        d.put("flood-kib", floodKibPerSecond);
        d.put("sample", sample.toSeconds() + " s");
        d.put("heap", heap);
        return d;
    }

    static Duration duration(String key, String value) {
        String v = value.trim();
        try {
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
            }
            return Duration.ofSeconds(Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be seconds, or a number with s or m, not '" + value + "'", e);
        }
    }

    private static int positive(Map<String, String> values, String key) {
        int n;
        try {
            n = Integer.parseInt(values.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + values.get(key) + "'", e);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be more than zero");
        }
        return n;
    }
}
