package io.zeroagents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent {@link Agents#runLogger} starts: it binds a {@code SUB} socket under
 * {@value Agents#LOGGER_ALIAS} and keeps every log line it receives (osBrain's logger agent).
 *
 * <p>Lines are kept, in arrival order, in list attributes named as osBrain names them:
 * {@code log_history_info}, {@code log_history_warning} ({@code WARN} lines),
 * {@code log_history_error} ({@code ERROR} and {@code FATAL}), {@code log_history_debug}
 * ({@code DEBUG} and {@code TRACE}), and all of them in {@code log_history}. Each line reads
 * {@code [sender] message}. The lists are safe to read from any thread.
 *
 * <p>Agents send their lines with {@link AgentOperations#setLogger}; any program may publish on
 * a {@code PUB} socket connected to the logger's address, one message per line: the level as the
 * topic frame and the line in a {@code string} envelope, as the {@code ZeroMqPublisher} Log4j
 * appender does.
 *
 * @since 0.1
 */
public final class LoggerAgent extends BaseAgent {
    /** The levels received, as topic prefixes, with the attribute suffix each is kept under. */
    private static final Map<String, String> LEVELS = levels();

    /** Created by the runtime only. */
    LoggerAgent() {
    }

    private static Map<String, String> levels() {
        Map<String, String> levels = new LinkedHashMap<>();
        levels.put("INFO", "info");
        levels.put("WARN", "warning");
        levels.put("ERROR", "error");
        levels.put("FATAL", "error");
        levels.put("DEBUG", "debug");
        levels.put("TRACE", "debug");
        return levels;
    }

    /**
     * The name of the attribute that keeps the lines of one level.
     *
     * @param level a Log4j level name ({@code INFO}, {@code WARN}, ...) or an osBrain one
     *              ({@code warning})
     * @return e.g. {@code log_history_warning}
     * @throws IllegalArgumentException for an unknown level
     */
    public static String historyAttribute(String level) {
        String upper = level.toUpperCase(Locale.ROOT);
        String suffix = LEVELS.get(upper.equals("WARNING") ? "WARN" : upper);
        if (suffix == null) {
            throw new IllegalArgumentException("Unknown log level '" + level + "' (known: " + LEVELS.keySet() + ")");
        }
        return "log_history_" + suffix;
    }

    @Override
    protected void onInit() {
        List<String> all = new CopyOnWriteArrayList<>();
        setAttr("log_history", all);
        Map<String, MessageHandler<? super String>> byTopic = new LinkedHashMap<>();
        LEVELS.forEach((level, suffix) -> {
            String attribute = "log_history_" + suffix;
            if (getAttr(attribute) == null) {
                setAttr(attribute, new CopyOnWriteArrayList<String>());
            }
            byTopic.put(level, (agent, line) -> {
                @SuppressWarnings("unchecked")
                List<String> lines = (List<String>) agent.getAttr(attribute);
                if (lines != null) {
                    lines.add(line);
                }
                all.add(line);
            });
        });
        bind(Pattern.SUB, Agents.LOGGER_ALIAS, SocketHandler.onTopics(String.class, byTopic));
    }
}
