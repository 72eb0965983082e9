package io.zeroagents.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The results of one run with what they were measured on: a table on stdout, and
 * {@code report-<time>.json}, {@code .csv} and {@code .md} (plus {@code latest.*} copies) in the
 * output folder.
 */
final class Report {
    private final ZonedDateTime started = ZonedDateTime.now();
    private final Map<String, Object> machine = Machine.describe();
    private final String loadAtStart = Machine.loadAverage();
    private final Map<String, Object> config;
    private final List<Result> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> loadByScenario = new java.util.LinkedHashMap<>();
    private String loadAtEnd = "";

    Report(Config config) {
        this.config = config.describe();
    }

    /** A latency row's samples, counted in buckets, for the report files. */
    private record LatencyShape(String scenario, String metric, Histogram framework, Histogram raw) {
    }

    private final List<LatencyShape> shapes = new ArrayList<>();

    /**
     * Adds the p50, p99 and p99.9 rows of round trips measured both ways, with {@code p50Target}
     * on the p50, and keeps both sides' histograms for the report files.
     *
     * @param scenario  the row's scenario
     * @param prefix    put before each metric's name (e.g. {@code "lookup "}), or empty
     * @param framework ZeroAgents' samples
     * @param raw       raw JeroMQ's samples
     * @param p50Target the target of the p50 row
     */
    synchronized void addLatency(String scenario, String prefix, Samples framework, Samples raw, Target p50Target) {
        add(Result.of(scenario, prefix + "p50", "µs", framework.micros(50), raw.micros(50), p50Target));
        add(Result.of(scenario, prefix + "p99", "µs", framework.micros(99), raw.micros(99), Target.none()));
        add(Result.of(scenario, prefix + "p99.9", "µs", framework.micros(99.9), raw.micros(99.9), Target.none()));
        shapes.add(new LatencyShape(scenario, prefix + "round trips", framework.histogram(), raw.histogram()));
    }

    synchronized void add(Result result) {
        results.add(result);
        System.out.println(row(result, true));
    }

    /** Notes the one-minute load average as a scenario starts. */
    synchronized void starting(String scenario) {
        loadByScenario.put(scenario, Machine.loadAverage().split("\\s+")[0]);
    }

    synchronized void failed(String scenario, Throwable t) {
        failures.add(scenario + ": " + t);
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    String loadAtStart() {
        return loadAtStart;
    }

    /** Ends the run: reads the load again, prints the table and writes the files; returns the JSON file. */
    Path finish(Path folder) throws IOException {
        loadAtEnd = Machine.loadAverage();
        String markdown = markdown();
        System.out.println();
        System.out.println(plainTable());
        Files.createDirectories(folder);
        String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = write(folder, "report-" + stamp + ".json", json());
        write(folder, "report-" + stamp + ".csv", csv());
        write(folder, "report-" + stamp + ".md", markdown);
        for (String ext : List.of("json", "csv", "md")) {
            Files.copy(folder.resolve("report-" + stamp + "." + ext), folder.resolve("latest." + ext),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("Report: " + json.toAbsolutePath() + " (and .csv, .md; latest.* in the same folder)");
        return json;
    }

    private static Path write(Path folder, String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" on ")
                .append(machine.get("cpus")).append(" CPUs (").append(machine.get("cpu")).append("), ")
                .append(machine.get("memory")).append(", ").append(machine.get("os")).append(", ")
                .append(machine.get("jdk")).append(", GC ").append(machine.get("gc")).append(", open-file limit ")
                .append(machine.get("maxOpenFiles")).append(".\n");
        md.append("Load average (1, 5, 15 min; /proc/loadavg) at start: `").append(loadAtStart)
                .append("`, at end: `").append(loadAtEnd).append("`; one-minute load as each scenario started: ")
                .append(loadByScenario).append(".\n");
        md.append("Options: ").append(config).append(".\n\n");
        md.append("| scenario | metric | ZeroAgents | raw JeroMQ | ratio | target | met |\n");
        md.append("|---|---|--:|--:|--:|---|---|\n");
        for (Result r : results) {
            md.append(row(r, false)).append('\n');
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed scenarios:\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        List<String> notes = results.stream().filter(r -> !r.note().isEmpty())
                .map(r -> r.scenario() + ": " + r.note()).distinct().toList();
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        if (!shapes.isEmpty()) {
            md.append("\nLatency histograms (samples per bucket, pooled over the measured trials):\n\n");
            md.append("| scenario | side | ").append(String.join(" | ", Histogram.headings())).append(" |\n");
            md.append("|---|---|").append("--:|".repeat(Histogram.headings().size())).append('\n');
            for (LatencyShape shape : shapes) {
                histogramRow(md, shape.scenario() + ", " + shape.metric(), "ZeroAgents", shape.framework());
                histogramRow(md, shape.scenario() + ", " + shape.metric(), "raw JeroMQ", shape.raw());
            }
        }
        return md.toString();
    }

    /** The table as aligned plain text, for the terminal; the files get Markdown. */
    String plainTable() {
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(List.of("scenario", "metric", "ZeroAgents", "raw JeroMQ", "ratio", "target", "met"));
        for (Result r : results) {
            rows.add(cells(r, true));
        }
        int[] widths = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                // Figures and ratios right-aligned, as in the Markdown table.
                String cell = row.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(i >= 2 && i <= 4 ? pad + cell : cell + pad).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        failures.forEach(f -> out.append("FAILED ").append(f).append('\n'));
        return out.toString();
    }

    private static void histogramRow(StringBuilder md, String scenario, String side, Histogram histogram) {
        md.append("| ").append(scenario).append(" | ").append(side).append(" | ");
        for (long count : histogram.counts()) {
            md.append(count).append(" | ");
        }
        md.setLength(md.length() - 1);
        md.append('\n');
    }

    private static String row(Result r, boolean plain) {
        List<String> cells = cells(r, plain);
        return plain ? String.join("  |  ", cells) : "| " + String.join(" | ", cells) + " |";
    }

    private static List<String> cells(Result r, boolean plain) {
        return List.of(r.scenario(), r.metric(), figure(r.framework(), r.unit()),
                Double.isNaN(r.raw()) ? "—" : figure(r.raw(), r.unit()),
                Double.isNaN(r.ratio()) ? "—" : String.format(Locale.ROOT, "%.2f×", r.ratio()),
                r.target().text().isEmpty() ? "—" : r.target().text(), metText(r.met(), plain));
    }

    private static String metText(@Nullable Boolean met, boolean plain) {
        return met == null ? "—" : met ? "yes" : plain ? "NO" : "**no**";
    }

    static String figure(double value, String unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String number = Math.abs(value) >= 1000 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
        return unit.isEmpty() ? number : number + " " + unit;
    }

    private String csv() {
        StringBuilder csv = new StringBuilder("scenario,metric,unit,zeroagents,raw_jeromq,ratio,target,met,note\n");
        for (Result r : results) {
            csv.append(String.join(",", quote(r.scenario()), quote(r.metric()), quote(r.unit()), num(r.framework()),
                    num(r.raw()), num(r.ratio()), quote(r.target().text()), String.valueOf(r.met()), quote(r.note())))
                    .append('\n');
        }
        return csv.toString();
    }

    private String json() {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"started\": ").append(str(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append(",\n");
        j.append("  \"machine\": ").append(object(machine)).append(",\n");
        j.append("  \"loadAverageAtStart\": ").append(str(loadAtStart)).append(",\n");
        j.append("  \"loadAverageAtEnd\": ").append(str(loadAtEnd)).append(",\n");
        j.append("  \"loadAtScenarioStart\": ").append(object(new java.util.LinkedHashMap<>(loadByScenario))).append(",\n");
        j.append("  \"options\": ").append(object(config)).append(",\n");
        j.append("  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            j.append("    {\"scenario\": ").append(str(r.scenario())).append(", \"metric\": ").append(str(r.metric()))
                    .append(", \"unit\": ").append(str(r.unit())).append(", \"zeroagents\": ").append(num(r.framework()))
                    .append(", \"rawJeromq\": ").append(num(r.raw())).append(", \"ratio\": ").append(num(r.ratio()))
                    .append(", \"target\": ").append(str(r.target().text())).append(", \"met\": ")
                    .append(r.met()).append(", \"note\": ").append(str(r.note())).append('}')
                    .append(i + 1 < results.size() ? ",\n" : "\n");
        }
        j.append("  ],\n  \"histogramUpperBoundsMicros\": ").append(java.util.Arrays.toString(Histogram.UPPER_MICROS))
                .append(",\n  \"histograms\": [\n");
        for (int i = 0; i < shapes.size(); i++) {
            LatencyShape shape = shapes.get(i);
            j.append("    {\"scenario\": ").append(str(shape.scenario())).append(", \"metric\": ")
                    .append(str(shape.metric())).append(", \"zeroagents\": ").append(shape.framework().json())
                    .append(", \"rawJeromq\": ").append(shape.raw().json()).append('}')
                    .append(i + 1 < shapes.size() ? ",\n" : "\n");
        }
        j.append("  ],\n  \"failures\": [");
        j.append(String.join(", ", failures.stream().map(Report::str).toList()));
        j.append("]\n}\n");
        return j.toString();
    }

    static String object(Map<String, Object> map) {
        List<String> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(str(k) + ": " + value(v)));
        return "{" + String.join(", ", entries) + "}";
    }

    private static String value(@Nullable Object v) {
        if (v instanceof Number n) {
            return num(n.doubleValue());
        }
        if (v instanceof Collection<?> c) {
            return "[" + String.join(", ", c.stream().map(Report::value).toList()) + "]";
        }
        return str(String.valueOf(v));
    }

    static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.4f", d);
    }

    static String str(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
