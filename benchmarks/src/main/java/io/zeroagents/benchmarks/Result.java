package io.zeroagents.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * One line of the report: a scenario's figure for ZeroAgents and for raw JeroMQ measured in the
 * same run, their ratio (framework / raw; {@code NaN} when raw JeroMQ has no counterpart), the
 * target and whether it is met.
 */
record Result(String scenario, String metric, String unit, double framework, double raw, Target target,
              String note) {

    static Result of(String scenario, String metric, String unit, double framework, double raw, Target target) {
        return new Result(scenario, metric, unit, framework, raw, target, "");
    }

    static Result alone(String scenario, String metric, String unit, double framework, Target target, String note) {
        return new Result(scenario, metric, unit, framework, Double.NaN, target, note);
    }

    double ratio() {
        return Double.isNaN(raw) || raw == 0 ? Double.NaN : framework / raw;
    }

    @Nullable Boolean met() {
        return target.met(framework, ratio());
    }
}
