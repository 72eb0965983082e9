#!/usr/bin/env bash
# Builds the image the test kit's containers run, without pulling anything from a registry: a
# jlink'd Java runtime from the JDK running the tests, the shared libraries it loads, busybox for a
# shell, the daemon jar, and the tests' class path; then, on top, a user that is not root and a
# HEALTHCHECK that pings the container's name server with `agents ping`.
#
#   build-image.sh TAG CLASSPATH_FILE NAMESERVER_JAR
#
# CLASSPATH_FILE lists class path entries (jars or directories), one per line. JAVA_HOME must be a
# JDK 21+ with jlink; busybox (busybox-static) and the docker CLI must be on the PATH. The image runs
# `java` from /opt/java/bin with CLASSPATH set to the copied entries, and
# `java -jar /app/nameserver.jar` for the daemon, as user 10001; containers keep their CURVE keys in
# /tmp/keys, where the HEALTHCHECK reads them.
set -euo pipefail
tag=$1 classpath_file=$2 nameserver_jar=$3
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 21+ with jlink}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt" "$root/bin" "$root/app/cp" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"

"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,java.desktop,java.scripting,java.net.http,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --output "$root/opt/java"

# The shared libraries the runtime's executables and native libraries load, at their own paths.
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 -n 1 sh -c 'ldd "$0" 2>/dev/null || true' \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }' \
  | grep -v "^$root" \
  | sort -u \
  | while read -r lib; do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

busybox=$(command -v busybox)
cp "$busybox" "$root/bin/busybox"
for tool in sh sleep ip cat ls ps kill pkill pgrep echo env hostname; do
  ln -s busybox "$root/bin/$tool"
done

cp "$nameserver_jar" "$root/app/nameserver.jar"
classpath=""
index=0
while IFS= read -r entry; do
  [ -n "$entry" ] || continue
  [ -e "$entry" ] || continue
  index=$((index + 1))
  target="/app/cp/$(printf '%03d' "$index")-$(basename "$entry")"
  cp -r "$entry" "$root$target"
  classpath="${classpath:+$classpath:}$target"
done < "$classpath_file"

base="${tag%%:*}-base:${tag#*:}"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/opt/java/bin:/bin' \
  -c "ENV CLASSPATH=$classpath" \
  -c 'ENV HOME=/tmp' \
  -c 'WORKDIR /app' \
  - "$base" >/dev/null

# What `docker import` cannot set: the user and the health check. The classic builder builds FROM a
# local image without a registry and without buildx. Each check starts a JVM: every 5 s keeps that
# light on a shared machine (no --start-interval: Debian's engine 20.10 does not know it).
mkdir -p "$work/layer"
cat > "$work/layer/Dockerfile" <<DOCKERFILE
FROM $base
USER 10001:10001
HEALTHCHECK --interval=5s --timeout=10s --start-period=120s --retries=3 \\
  CMD ["java", "-Xmx48m", "-XX:TieredStopAtLevel=1", "-jar", "/app/nameserver.jar", "agents", "ping", \\
       "--ns", "tcp://127.0.0.1:9091", "--curve", "/tmp/keys", "--timeout", "3000"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$work/layer" >/dev/null
docker rmi "$base" >/dev/null 2>&1 || true
echo "$tag"
