package io.zeroagents.serialization;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Test support: the kinds of message values agents exchange as JSON. */
final class Messages {
    private Messages() {
    }

    record Point(int x, int y) {
    }

    record Route(String name, Point start, List<Point> stops) {
    }

    record Reading(String sensor, Instant at, Optional<String> note, Duration window) {
    }

    record Holder(@Nullable Object value) {
    }

    record Stop() {
    }

    /** A receiver that (unwisely) asks Jackson for class-name type ids. */
    record ClassTyped(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) @Nullable Object value) {
    }

    /** A classic mutable bean, deserialized through its setters. */
    static final class Customer {
        private @Nullable String name;
        private int age;

        public Customer() {
        }

        Customer(String name, int age) {
            this.name = name;
            this.age = age;
        }

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public int getAge() {
            return age;
        }

        public void setAge(int age) {
            this.age = age;
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Customer that && Objects.equals(name, that.name) && age == that.age;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, age);
        }

        @Override
        public String toString() {
            return "Customer[" + name + ", " + age + "]";
        }
    }
}
