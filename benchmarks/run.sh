#!/usr/bin/env bash
# Builds the benchmarks module (with the modules it needs, never installing anything) and runs the
# end-to-end harness, or JMH:
#   benchmarks/run.sh [key=value ...]        the harness; e.g. scenarios=push-tcp,reqrep-tcp trials=5, or quick
#   benchmarks/run.sh soak [key=value ...]   the soak test under attack (docs/benchmarks.md); e.g. soak minutes=5
#   benchmarks/run.sh jmh [JMH options]      the JMH micro-benchmarks; e.g. jmh EnvelopeBenchmark -f 1
# SKIP_BUILD=1 reuses the last build; MVN_ARGS adds Maven options (e.g. MVN_ARGS=-o for offline).
# Reports go to benchmarks/target/bench-reports/ (report-<time>.json/.csv/.md and latest.*).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  (cd "$root" && ./mvnw -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests)
fi
classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"

cd "$here"
if [ "${1:-}" = jmh ]; then
  shift
  exec "$java" -cp "$classpath" org.openjdk.jmh.Main "$@"
fi
exec "$java" -cp "$classpath" io.zeroagents.benchmarks.Harness "$@"
