package io.zeroagents.transport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;

/**
 * The servers a key directory trusts at addresses given directly (a name server's address, a
 * plain ZeroMQ program's): the folder {@value CurveKeys#SERVERS_DIR}, one public certificate per
 * server, each naming in its metadata ({@value #ENDPOINTS}) the endpoints where that server
 * serves. Addresses that come from a name server carry their server's key, and need no file here.
 *
 * <p>An endpoint in the metadata is {@code tcp://HOST:PORT}, matched as written (host names are
 * not resolved, case does not count), or {@code tcp://HOST:*} for every port of that host. The
 * folder is read at each look-up: connections are made now and then, and a certificate added or
 * removed counts at once.
 */
final class TrustedServers {
    /** The metadata of a trusted server's certificate that lists its endpoints, separated by blanks or commas. */
    static final String ENDPOINTS = "endpoints";

    private final Path folder;

    TrustedServers(Path folder) {
        this.folder = folder;
    }

    /** Where the certificates are. */
    Path folder() {
        return folder;
    }

    /**
     * The key of the server trusted at an endpoint.
     *
     * @param endpoint where a socket connects
     * @return the key and the certificate that names it, or {@code null} when none does
     * @throws IllegalArgumentException when two certificates with different keys name the endpoint,
     *                                  or one cannot be read
     */
    @Nullable Trusted find(String endpoint) {
        String wanted = normalize(endpoint);
        int colon = wanted.lastIndexOf(':');
        String anyPort = colon < 0 ? wanted : wanted.substring(0, colon) + ":*";
        if (!Files.isDirectory(folder)) {
            return null;
        }
        List<Trusted> matches = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".public")).sorted().toList()) {
                ZConfig certificate = KeyFiles.load(file);
                List<String> endpoints = endpoints(certificate.getValue("metadata/" + ENDPOINTS));
                if (endpoints.contains(wanted) || endpoints.contains(anyPort)) {
                    matches.add(new Trusted(key(certificate, file), file));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the trusted servers in " + folder + ": " + e.getMessage(), e);
        }
        if (matches.stream().map(Trusted::key).distinct().count() > 1) {
            throw new IllegalArgumentException("Trusted server certificates " + matches.stream().map(Trusted::file)
                    .toList() + " name " + endpoint + " with different keys: keep the one of the server there");
        }
        return matches.isEmpty() ? null : matches.getFirst();
    }

    /**
     * Trusts a server at endpoints: writes its public certificate into the folder, named after the
     * certificate's {@code name} metadata, replacing a certificate of the same name.
     *
     * @param certificate a public certificate, as {@code keys export} prints it
     * @param endpoints   where the server serves, {@code tcp://HOST:PORT} or {@code tcp://HOST:*}
     * @return the file written
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when the certificate has no valid public key, or an endpoint
     *                                  is not a tcp endpoint
     */
    Path trust(Path certificate, List<String> endpoints) throws IOException {
        ZConfig given = KeyFiles.load(certificate);
        String key = key(given, certificate);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("Trusting " + certificate + " needs the endpoints where that server"
                    + " serves, e.g. tcp://10.0.0.5:9091");
        }
        for (String endpoint : endpoints) {
            if (!normalize(endpoint).startsWith("tcp://") || normalize(endpoint).lastIndexOf(':') < "tcp://".length()) {
                throw new IllegalArgumentException("'" + endpoint + "' is not an endpoint a server is trusted at;"
                        + " give tcp://HOST:PORT, or tcp://HOST:* for every port of HOST");
            }
        }
        String name = given.getValue("metadata/name");
        if (name == null || name.isBlank()) {
            String fileName = certificate.getFileName().toString();
            name = fileName.endsWith(".public") ? fileName.substring(0, fileName.length() - ".public".length())
                    : fileName;
        }
        KeyFiles.createDirectories(folder);
        Path file = folder.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".public");
        ZConfig trusted = new ZConfig("root", null);
        trusted.addComment("   A server this key directory trusts (keys trust): a connection to one of the endpoints");
        trusted.addComment("   below completes only with the server that holds this public key's secret.");
        trusted.putValue("metadata/name", name);
        trusted.putValue("metadata/" + ENDPOINTS, String.join(" ", endpoints.stream().map(String::strip).toList()));
        trusted.putValue("curve/public-key", key);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            trusted.save(out);
        }
        return file;
    }

    private static String key(ZConfig certificate, Path file) {
        String key = certificate.getValue("curve/public-key");
        if (key == null || key.length() != CurveKeys.Z85_KEY_CHARS) {
            throw new IllegalArgumentException("CURVE certificate " + file + " has no public key of "
                    + CurveKeys.Z85_KEY_CHARS + " Z85 characters (curve/public-key)");
        }
        try {
            return new ZCert(key).getPublicKeyAsZ85();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CURVE certificate " + file + " has no valid public key: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> endpoints(@Nullable String listed) {
        return listed == null ? List.of() : Arrays.stream(listed.split("[\\s,]+")).filter(s -> !s.isEmpty())
                .map(TrustedServers::normalize).toList();
    }

    private static String normalize(String endpoint) {
        return endpoint.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A trusted server's key.
     *
     * @param key  its public key, Z85
     * @param file the certificate that names it
     */
    record Trusted(String key, Path file) {
    }
}
