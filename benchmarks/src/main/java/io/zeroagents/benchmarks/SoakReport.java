package io.zeroagents.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of a soak run: the phases' messages and proxy-call latencies, what each flood did, and
 * each JVM's heap, descriptors, threads and log size over time. Printed on stdout, and written as
 * {@code soak-<time>.md}, {@code .json} and {@code .csv} (the time series), with
 * {@code latest-soak.*} copies, in the report folder beside the harness's reports.
 */
final class SoakReport {
    private final SoakConfig config;
    private final ZonedDateTime started;
    private final List<Soak.PhaseResult> phases;
    private final List<Attack> attacks;
    private final List<SoakProcess.Sample> samples;
    private final List<String> events;
    private final List<String> failures;
    private final Map<String, Object> machine = Machine.describe();
    private final String loadAtEnd = Machine.loadAverage();

    SoakReport(SoakConfig config, ZonedDateTime started, List<Soak.PhaseResult> phases, List<Attack> attacks,
               List<SoakProcess.Sample> samples, List<String> events, List<String> failures) {
        this.config = config;
        this.started = started;
        this.phases = phases;
        this.attacks = attacks;
        this.samples = samples;
        this.events = events;
        this.failures = failures;
    }

    /** Prints the summary and writes the files; returns the Markdown file. */
    Path write(Path folder, String stamp) throws IOException {
        System.out.println();
        System.out.print(phaseTable());
        attacks.forEach(a -> System.out.println("- " + a.describe()));
        failures.forEach(f -> System.out.println("FAILED " + f));
        System.out.println(failures.isEmpty() ? "PASSED" : "FAILED");
        Files.createDirectories(folder);
        Path md = folder.resolve("soak-" + stamp + ".md");
        Files.writeString(md, markdown());
        Files.writeString(folder.resolve("soak-" + stamp + ".json"), json());
        Files.writeString(folder.resolve("soak-" + stamp + ".csv"), csv());
        for (String ext : List.of("md", "json", "csv")) {
            Files.copy(folder.resolve("soak-" + stamp + "." + ext), folder.resolve("latest-soak." + ext),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("Report: " + md.toAbsolutePath() + " (and .json, .csv; latest-soak.* in the same folder;"
                + " each JVM's log in soak-" + stamp + "-*.log)");
        return md;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Soak test\n\n");
        md.append("Measured ").append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" on ")
                .append(machine.get("cpus")).append(" CPUs (").append(machine.get("cpu")).append("), ")
                .append(machine.get("jdk")).append(", open-file limit ").append(machine.get("maxOpenFiles"))
                .append("; load average at end `").append(loadAtEnd).append("`.\n");
        md.append("Options: ").append(config.describe()).append(".\n\n");
        md.append("**").append(failures.isEmpty() ? "Passed" : "Failed").append("**\n\n");
        failures.forEach(f -> md.append("- ").append(f).append('\n'));
        md.append("\n## Phases\n\n").append(phaseTable());
        md.append("\nProxy-call latency histograms (calls per bucket):\n\n| phase | ")
                .append(String.join(" | ", Histogram.headings())).append(" |\n|---|")
                .append("--:|".repeat(Histogram.headings().size())).append('\n');
        for (Soak.PhaseResult p : phases) {
            md.append("| ").append(p.name()).append(" | ");
            for (long count : p.calls().latencies.histogram().counts()) {
                md.append(count).append(" | ");
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append("\n## Attacks\n\n");
        if (attacks.isEmpty()) {
            md.append("None.\n");
        }
        attacks.forEach(a -> md.append("- ").append(a.describe()).append('\n'));
        md.append("\n## Heap, descriptors, threads and log size over time\n\n")
                .append("Heap in use / in use after the last collection, open descriptors, live threads, log size.\n\n");
        md.append(timeSeries());
        md.append("\n## Events\n\n");
        events.forEach(e -> md.append("- ").append(e).append('\n'));
        return md.toString();
    }

    /** The phases as a Markdown table. */
    String phaseTable() {
        StringBuilder t = new StringBuilder("| phase | length | accepted | delivered | lost | uncounted | proxy calls "
                + "| failed calls | p50 | p99 | p99.9 |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Soak.PhaseResult p : phases) {
            Samples latencies = p.calls().latencies;
            t.append(String.format(Locale.ROOT, "| %s | %d s | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s | %s |%n",
                    p.name(), p.length().toSeconds(), p.accepted(), p.delivered(), p.lost(), p.uncounted(),
                    latencies.size(), p.calls().failed, Report.figure(latencies.micros(50), "µs"),
                    Report.figure(latencies.micros(99), "µs"), Report.figure(latencies.micros(99.9), "µs")));
        }
        return t.toString();
    }

    /** One row per sampling round, one column per JVM. */
    private String timeSeries() {
        List<String> processes = samples.stream().map(SoakProcess.Sample::process).distinct().toList();
        Map<Long, Map<String, SoakProcess.Sample>> rounds = new TreeMap<>();
        for (SoakProcess.Sample s : samples) {
            // The samples of one round carry the round's time.
            rounds.computeIfAbsent(s.atMillis(), k -> new LinkedHashMap<>()).putIfAbsent(s.process(), s);
        }
        StringBuilder t = new StringBuilder("| s | ").append(String.join(" | ", processes))
                .append(" |\n|--:|").append("---|".repeat(processes.size())).append('\n');
        for (Map.Entry<Long, Map<String, SoakProcess.Sample>> round : rounds.entrySet()) {
            t.append("| ").append(round.getKey() / 1000).append(" | ");
            for (String process : processes) {
                SoakProcess.Sample s = round.getValue().get(process);
                t.append(s == null ? "" : !s.answered() ? "**not answering**" : String.format(Locale.ROOT,
                        "%,d/%,d MiB, %d fd, %d thr, %,d KiB log", s.heapBytes() >> 20, s.heapAfterGcBytes() >> 20,
                        s.descriptors(), s.threads(), s.logBytes() >> 10)).append(" | ");
            }
            t.setLength(t.length() - 1);
            t.append('\n');
        }
        return t.toString();
    }

    private String csv() {
        StringBuilder csv = new StringBuilder(
                "millis,process,heap_bytes,heap_after_gc_bytes,descriptors,threads,log_bytes\n");
        for (SoakProcess.Sample s : samples) {
            csv.append(String.join(",", String.valueOf(s.atMillis()), Report.quote(s.process()),
                    String.valueOf(s.heapBytes()), String.valueOf(s.heapAfterGcBytes()), String.valueOf(s.descriptors()),
                    String.valueOf(s.threads()), String.valueOf(s.logBytes()))).append('\n');
        }
        return csv.toString();
    }

    private String json() {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"started\": ").append(Report.str(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)))
                .append(",\n  \"machine\": ").append(Report.object(machine))
                .append(",\n  \"loadAverageAtEnd\": ").append(Report.str(loadAtEnd))
                .append(",\n  \"options\": ").append(Report.object(config.describe()))
                .append(",\n  \"passed\": ").append(failures.isEmpty())
                .append(",\n  \"failures\": ").append(strings(failures))
                .append(",\n  \"histogramUpperBoundsMicros\": ").append(java.util.Arrays.toString(Histogram.UPPER_MICROS))
                .append(",\n  \"phases\": [\n");
        List<String> rows = new ArrayList<>();
        for (Soak.PhaseResult p : phases) {
            Samples latencies = p.calls().latencies;
            rows.add("    {\"phase\": " + Report.str(p.name()) + ", \"seconds\": " + p.length().toSeconds()
                    + ", \"accepted\": " + p.accepted() + ", \"delivered\": " + p.delivered() + ", \"lost\": " + p.lost()
                    + ", \"uncounted\": " + p.uncounted() + ", \"proxyCalls\": " + latencies.size()
                    + ", \"failedProxyCalls\": " + p.calls().failed + ", \"p50Micros\": " + Report.num(latencies.micros(50))
                    + ", \"p99Micros\": " + Report.num(latencies.micros(99)) + ", \"p999Micros\": "
                    + Report.num(latencies.micros(99.9)) + ", \"histogram\": " + latencies.histogram().json() + "}");
        }
        j.append(String.join(",\n", rows)).append("\n  ],\n  \"attacks\": [\n");
        rows.clear();
        for (Attack a : attacks) {
            rows.add("    {\"attack\": " + Report.str(a.name()) + ", \"target\": " + Report.str(a.target())
                    + ", \"connections\": " + a.connections().get() + ", \"closedByTarget\": " + a.closedByTarget().get()
                    + ", \"failures\": " + a.failures().get() + ", \"bytes\": " + a.bytes().get() + "}");
        }
        j.append(String.join(",\n", rows)).append("\n  ],\n  \"samples\": [\n");
        rows.clear();
        for (SoakProcess.Sample s : samples) {
            rows.add("    {\"millis\": " + s.atMillis() + ", \"process\": " + Report.str(s.process())
                    + ", \"heapBytes\": " + s.heapBytes() + ", \"heapAfterGcBytes\": " + s.heapAfterGcBytes()
                    + ", \"descriptors\": " + s.descriptors() + ", \"threads\": " + s.threads()
                    + ", \"logBytes\": " + s.logBytes() + "}");
        }
        j.append(String.join(",\n", rows)).append("\n  ],\n  \"events\": ").append(strings(events)).append("\n}\n");
        return j.toString();
    }

    private static String strings(List<String> values) {
        return "[" + String.join(", ", values.stream().map(Report::str).toList()) + "]";
    }
}
