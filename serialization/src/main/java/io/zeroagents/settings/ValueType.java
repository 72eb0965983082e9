package io.zeroagents.settings;

import io.zeroagents.Codec;
import io.zeroagents.Transport;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the text of a setting becomes a value and back: one parser per kind of value, shared by
 * every key of that kind, so two settings of one kind can never disagree on what they accept.
 *
 * @param <T> the value's type
 */
public final class ValueType<T> {
    private final String accepted;
    private final String unit;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ValueType(String accepted, String unit, Function<String, T> parser, Function<T, String> formatter) {
        this.accepted = accepted;
        this.unit = unit;
        this.parser = parser;
        this.formatter = formatter;
    }

    /**
     * Any text but a blank one (a blank value counts as unset, so it never reaches a parser).
     *
     * @return the type
     */
    public static ValueType<String> text() {
        return new ValueType<>("any text", "", Function.identity(), Function.identity());
    }

    /**
     * A yes-or-no switch. The accepted spellings, in any case, are {@code true}, {@code yes} and
     * {@code 1}, and {@code false}, {@code no} and {@code 0}; anything else is refused rather than
     * read as one or the other, so a typo never silently flips a switch.
     *
     * @return the type
     */
    public static ValueType<Boolean> bool() {
        return new ValueType<>("true, false, yes, no, 1 or 0", "", value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        }, String::valueOf);
    }

    /**
     * A duration in whole milliseconds.
     *
     * @param zeroAllowed whether {@code 0} is a valid value
     * @return the type
     */
    public static ValueType<Duration> millis(boolean zeroAllowed) {
        long least = zeroAllowed ? 0 : 1;
        return new ValueType<>("a whole number of milliseconds, " + (zeroAllowed ? "0 or more" : "more than 0"), "ms",
                value -> Duration.ofMillis(wholeNumber(value, least, Long.MAX_VALUE)),
                duration -> String.valueOf(duration.toMillis()));
    }

    /**
     * A duration in whole microseconds from 0 to {@code maxMicros}: the polling windows, where a
     * millisecond is already long.
     *
     * @param maxMicros the largest value
     * @return the type
     */
    public static ValueType<Duration> micros(long maxMicros) {
        return new ValueType<>("a whole number of microseconds from 0 to " + maxMicros, "µs",
                value -> Duration.ofNanos(wholeNumber(value, 0, maxMicros) * 1000),
                duration -> String.valueOf(duration.toNanos() / 1000));
    }

    /**
     * A count, more than zero.
     *
     * @return the type
     */
    public static ValueType<Integer> positiveInt() {
        return new ValueType<>("a whole number from 1 to " + Integer.MAX_VALUE, "",
                value -> (int) wholeNumber(value, 1, Integer.MAX_VALUE), String::valueOf);
    }

    /**
     * A transport by its scheme.
     *
     * @return the type
     */
    public static ValueType<Transport> transport() {
        return new ValueType<>("inproc, ipc or tcp", "", Transport::parse, Transport::scheme);
    }

    /**
     * A codec by its id; codecs an application registers count too, so only the id's form is checked.
     *
     * @return the type
     */
    public static ValueType<Codec> codec() {
        return new ValueType<>("a codec id such as auto, json, string, raw or protobuf", "", Codec::of, Codec::id);
    }

    /**
     * What the type accepts, as error messages and the documentation say it.
     *
     * @return e.g. {@code a whole number of milliseconds, 0 or more}
     */
    public String accepted() {
        return accepted;
    }

    /**
     * The unit the documentation writes after a value, such as {@code ms}; empty when none.
     *
     * @return the unit
     */
    public String unit() {
        return unit;
    }

    /**
     * Reads a value.
     *
     * @param value the trimmed, non-blank text
     * @return the value
     * @throws IllegalArgumentException when the text is not one the type accepts
     */
    T parse(String value) {
        return Objects.requireNonNull(parser.apply(value), "parser result");
    }

    /**
     * Writes a value as text that {@link #parse} reads back to an equal value.
     *
     * @param value the value
     * @return its text
     */
    String format(T value) {
        return formatter.apply(value);
    }

    private static long wholeNumber(String value, long least, long most) {
        long parsed = Long.parseLong(value);
        if (parsed < least || parsed > most) {
            throw new IllegalArgumentException();
        }
        return parsed;
    }
}
