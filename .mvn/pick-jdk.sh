# Sourced (POSIX sh) by ./mvnw and .ci/run: when JAVA_HOME is unset and the `java` on PATH is
# older than 21 (or missing), points JAVA_HOME at the newest JDK 21+ installed in the usual places,
# so the README's commands work on a machine whose default Java is older. A set JAVA_HOME is left
# alone: the enforcer rule then explains what to change if it is too old.

zeroagents_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

zeroagents_pick_jdk() {
  [ -z "${JAVA_HOME-}" ] || return 0
  if command -v java >/dev/null 2>&1; then
    zeroagents_path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    zeroagents_major=$(zeroagents_java_major "$zeroagents_path_jdk")
    if [ -n "$zeroagents_major" ] && [ "$zeroagents_major" -ge 21 ]; then
      return 0
    fi
  fi
  zeroagents_best="" zeroagents_best_major=0
  # find rather than a glob: ./mvnw runs with globbing off (set -f).
  for zeroagents_candidate in $(find /usr/lib/jvm /opt/java /opt -mindepth 1 -maxdepth 1 2>/dev/null); do
    [ -x "$zeroagents_candidate/bin/javac" ] || continue
    zeroagents_major=$(zeroagents_java_major "$zeroagents_candidate")
    if [ -n "$zeroagents_major" ] && [ "$zeroagents_major" -ge 21 ] && [ "$zeroagents_major" -gt "$zeroagents_best_major" ]; then
      zeroagents_best="$zeroagents_candidate" zeroagents_best_major="$zeroagents_major"
    fi
  done
  if [ -n "$zeroagents_best" ]; then
    JAVA_HOME="$zeroagents_best"
    export JAVA_HOME
    echo "Using the JDK 21+ at $JAVA_HOME: the java on PATH is older (set JAVA_HOME to choose another)" >&2
  fi
}

zeroagents_pick_jdk
