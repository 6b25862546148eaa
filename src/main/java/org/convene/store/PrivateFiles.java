package org.convene.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory and what holds secrets in it (the database with the button key and Zalo tokens, its
 * WAL, the admin token) are the service user's only, from the moment they exist: made with those
 * permissions, not made and then narrowed, so that no other user can open them in between.
 * On a file system without POSIX permissions they are made plainly.
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

    /** Writes a new {@code file} {@code 0600} with {@code text}; fails when it exists. */
    public static void write(Path file, String text) throws IOException {
        try {
            Files.write(Files.createFile(file, attribute()), text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (UnsupportedOperationException e) {
            Files.writeString(file, text, StandardOpenOption.CREATE_NEW);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }
}
