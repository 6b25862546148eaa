package org.convene.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data directory and what holds secrets in it (the database with the button key and Zalo tokens, its
 * WAL, the admin token, backups and their temporary files) are the service user's only, from the moment
 * they exist: made with those permissions, not made and then narrowed, so that no other user can open them
 * in between. On a file system without POSIX permissions they are made plainly.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} and any missing parents {@code 0700}; an existing directory is left as it is. */
    public static Path directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir;
        try {
            return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (UnsupportedOperationException e) {
            return Files.createDirectories(dir);
        }
    }

    /** Creates a new directory {@code 0700} with a unique name in {@code parent}, for files on their way elsewhere. */
    public static Path temporaryDirectory(Path parent, String prefix) throws IOException {
        try {
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory(parent, prefix);
        }
    }

    /**
     * Creates an empty {@code file} {@code 0600} when there is none (SQLite gives its WAL and shared-memory
     * files the permissions of the database file). False when it existed already.
     */
    public static boolean file(Path file) throws IOException {
        try {
            Files.createFile(file, attribute());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            if (Files.exists(file)) return false;
            Files.createFile(file);
            return true;
        }
    }

    /** Opens a new {@code file} {@code 0600} for writing; fails when it exists. */
    public static OutputStream create(Path file) throws IOException {
        try {
            return Channels.newOutputStream(Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attribute()));
        } catch (UnsupportedOperationException e) {
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        }
    }

    /** Writes a new {@code file} {@code 0600} with {@code text}; fails when it exists. */
    public static void write(Path file, String text) throws IOException {
        try (OutputStream out = create(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A permission taken away: the path with its mode before and after, in octal. */
    public record Tightened(Path path, String before, String after) {
        @Override
        public String toString() {
            return path + " " + before + " → " + after;
        }
    }

    /**
     * Takes from {@code path} every permission beyond its owner's ({@code 0700} for a directory, {@code 0600}
     * for a file), for what was made before this version or by the operator's {@code mkdir} under the umask.
     * Nothing is added: an owner's own narrower mode stays. Null when nothing changed, the path is missing or
     * its file system has no POSIX permissions.
     */
    public static Tightened tighten(Path path) throws IOException {
        if (!Files.exists(path)) return null;
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) return null;
        Set<PosixFilePermission> before = view.readAttributes().permissions();
        Set<PosixFilePermission> after = EnumSet.noneOf(PosixFilePermission.class);
        after.addAll(before);
        after.retainAll(Files.isDirectory(path) ? DIRECTORY : FILE);
        if (after.equals(before)) return null;
        view.setPermissions(after);
        return new Tightened(path, octal(before), octal(after));
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        // declared from OWNER_READ (0400) down to OTHERS_EXECUTE (0001)
        for (PosixFilePermission p : permissions) mode |= 1 << (8 - p.ordinal());
        return String.format("%04o", mode);
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }
}
