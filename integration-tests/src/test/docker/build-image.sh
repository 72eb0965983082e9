#!/usr/bin/env bash
# Builds the image the distributed tests run as hosts, without pulling anything from a registry
# (see ../shared/ci-docker.md): a jlink'd Java runtime from the JDK running the tests, the shared
# libraries it loads, busybox for a shell, the daemon jar, and the tests' class path.
#
#   build-image.sh TAG CLASSPATH_FILE NAMESERVER_JAR
#
# CLASSPATH_FILE lists class path entries (jars or directories), one per line. JAVA_HOME must be a
# JDK 21+ with jlink. The image runs `java` from /opt/java/bin with CLASSPATH set to the copied
# entries, and `java -jar /app/nameserver.jar` for the daemon.
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
for tool in sh sleep ip cat ls ps kill echo env hostname; do
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

tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/opt/java/bin:/bin' \
  -c "ENV CLASSPATH=$classpath" \
  -c 'WORKDIR /app' \
  - "$tag" >/dev/null
echo "$tag"
