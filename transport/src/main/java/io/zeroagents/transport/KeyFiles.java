package io.zeroagents.transport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;

/**
 * How the files of a key directory are read and written: secrets readable by their owner alone
 * from the moment they exist, directories their owner's alone, and certificates in ZeroMQ's ZPL
 * format ({@link ZConfig}).
 */
final class KeyFiles {
    /** What the key directory and its folders are made with: their owner's alone. */
    static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** What a secret file is made with: readable and writable by its owner alone. */
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** The bits a secret file must not have. */
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    private static final Logger LOG = LogManager.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    /**
     * Makes a directory and its missing parents with mode 700 where the file system has POSIX
     * permissions.
     */
    static void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory, ownerOnly(OWNER_DIRECTORY));
    }

    /**
     * Writes a certificate's secret file, created with mode 600 where the file system has POSIX
     * permissions: created first and restricted afterwards, it could be opened by another user in
     * between, and an open file stays readable.
     */
    static void writeSecret(Path path, ZCert cert) throws IOException {
        FileAttribute<?>[] attributes = ownerOnly(OWNER_FILE);
        if (attributes.length == 0) {
            LOG.warn("{} has no POSIX permissions: protect {} so that only this host's user can read it",
                    path.getFileSystem(), path);
        }
        Files.createFile(path, attributes);
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            cert.saveSecret(out);
        }
    }

    /**
     * Reads a secret certificate, refusing one that group or others may read or write.
     *
     * @throws IllegalArgumentException naming the file and the fix
     */
    static ZCert readSecret(Path file) {
        refuseShared(file);
        ZConfig config = load(file);
        String publicKey = config.getValue("curve/public-key");
        String secretKey = config.getValue("curve/secret-key");
        if (publicKey == null || secretKey == null) {
            throw new IllegalArgumentException("CURVE certificate " + file + " lacks its public or secret key");
        }
        ZCert cert = new ZCert(publicKey, secretKey);
        String name = config.getValue("metadata/name");
        if (name != null) {
            cert.setMeta("name", name);
        }
        return cert;
    }

    /**
     * Reads a certificate file.
     *
     * @throws IllegalArgumentException naming the file when it is missing or unreadable
     */
    static ZConfig load(Path file) {
        try {
            return ZConfig.load(file.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read CURVE certificate " + file + " (make the key directory with"
                    + " 'java -jar nameserver.jar keys init DIR'): " + e.getMessage(), e);
        }
    }

    /** The permissions to create with, on a file system that has POSIX permissions; none elsewhere. */
    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    /**
     * Refuses a secret file that group or others may read or write: whoever reads it can pose as
     * this host, as a client and as a server.
     */
    private static void refuseShared(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions on this file system: nothing to check here
        } catch (IOException e) {
            return; // missing or unreadable: reading it says so
        }
        if (permissions.stream().anyMatch(NOT_OWNER::contains)) {
            throw new IllegalArgumentException("CURVE secret key file " + file + " is open to group or others ("
                    + PosixFilePermissions.toString(permissions) + "): anyone who reads it can pose as this host."
                    + " Make it readable by its owner only: chmod 600 " + file);
        }
    }
}
