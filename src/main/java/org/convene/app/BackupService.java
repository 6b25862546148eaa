package org.convene.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.convene.meeting.MaterialStore;
import org.convene.store.Database;
import org.convene.store.PrivateFiles;

/**
 * {@code ./convene backup FILE} and {@code ./convene restore FILE}: one ZIP archive holding a consistent
 * copy of the SQLite database ({@code VACUUM INTO}, so the service may keep running), every material file
 * that copy refers to (meetings' documents, products' files) and the generated admin token. Restore, with
 * the service stopped, checks each file against its sha256 before anything in the data directory changes.
 */
final class BackupService {
    static final String MANIFEST = "convene-backup.txt";
    static final String DATABASE = "convene.db";
    static final String ADMIN_TOKEN = "admin-token";
    private static final Pattern MATERIAL = Pattern.compile("materials/([0-9a-f]{2})/([0-9a-f]{64})");
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** What a backup or restore did. */
    record Result(Path archive, Path dataDir, int materials, PrivateFiles.Tightened narrowed) {
        Result(Path archive, Path dataDir, int materials) {
            this(archive, dataDir, materials, null);
        }
    }

    private final Clock clock;

    BackupService(Clock clock) {
        this.clock = clock;
    }

    /** Writes the archive to {@code target}, which must not exist; it appears there only once complete. */
    Result backup(Config config, Path target) {
        String url = config.effectiveDatabaseUrl();
        if (!url.startsWith("jdbc:sqlite:")) {
            throw new IllegalStateException("backup archives a SQLite database; for PostgreSQL use pg_dump, and copy "
                    + config.dataDir().resolve("materials") + " beside it");
        }
        if (Files.exists(target)) throw new IllegalArgumentException("the backup file exists already: " + target + " (choose a new name)");
        Path dbFile = Database.sqliteFile(url);
        if (dbFile == null || !Files.exists(dbFile)) {
            throw new IllegalStateException("there is no database to back up at " + dbFile + " (check --data-dir or CONVENE_DATA_DIR)");
        }
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            // the copy and the archive hold every member's data and the button key: 0600 in a 0700 folder from
            // their first byte, in the target's folder so that the finished archive is renamed into place
            Path staging = PrivateFiles.temporaryDirectory(dir, ".convene-backup-");
            try {
                Path snapshot = staging.resolve(DATABASE);
                PrivateFiles.file(snapshot); // VACUUM INTO fills an empty file and keeps its permissions
                try (Database db = Database.open(url, null, null)) {
                    db.jdbi().useHandle(h -> h.execute("VACUUM INTO ?", snapshot.toString()));
                }
                Set<String> shas = referencedMaterials(snapshot);
                MaterialStore store = new MaterialStore(config.dataDir());
                Path part = staging.resolve("archive.zip.part");
                try (ZipOutputStream zip = new ZipOutputStream(PrivateFiles.create(part))) {
                    put(zip, MANIFEST, ("Convene backup\nformat=1\ncreated=" + clock.instant() + "\nmaterials=" + shas.size() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    putFile(zip, DATABASE, snapshot);
                    for (String sha : shas) {
                        Path file = store.pathOf(sha);
                        if (!Files.exists(file)) throw new IllegalStateException("material " + sha + " is in the database but missing from " + file);
                        putFile(zip, "materials/" + sha.substring(0, 2) + "/" + sha, file);
                    }
                    Path token = config.dataDir().resolve(ADMIN_TOKEN);
                    if (Files.exists(token)) putFile(zip, ADMIN_TOKEN, token);
                }
                try {
                    // a hard link appears whole and, unlike a rename, never replaces a file made meanwhile
                    Files.createLink(target, part);
                } catch (FileAlreadyExistsException e) {
                    throw new IllegalArgumentException("the backup file exists already: " + target + " (choose a new name)");
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    // no hard links on this file system (FAT, some shares): a rename, checked above
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                }
                return new Result(target, config.dataDir(), shas.size());
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Brings an archive back into the configured data directory. A directory with anything in it is refused
     * unless {@code force}; then its database is replaced (the service must be stopped: a database in use is
     * refused) and the archive's materials are added. A bare SQLite file (a backup of an earlier version) is
     * restored as the database alone.
     */
    Result restore(Config config, Path archive, boolean force) {
        String url = config.effectiveDatabaseUrl();
        if (!url.startsWith("jdbc:sqlite:")) {
            throw new IllegalStateException("restore brings back a SQLite database; CONVENE_DATABASE_URL names another database");
        }
        Path dataDir = config.dataDir().toAbsolutePath();
        Path dbFile = Database.sqliteFile(url);
        if (dbFile == null) throw new IllegalStateException("restore needs a database file; CONVENE_DATABASE_URL names an in-memory database");
        if (!Files.exists(archive)) throw new UncheckedIOException(new NoSuchFileException(archive.toString()));
        if (!force && !isEmpty(dataDir)) {
            throw new IllegalStateException("the data directory " + dataDir + " is not empty; restore into an empty one, or add --force "
                    + "to replace its database (with the service stopped)");
        }
        try {
            PrivateFiles.directory(dataDir);
            var narrowed = PrivateFiles.tighten(dataDir); // made by the operator's mkdir (0755) to restore into
            Path staging = PrivateFiles.temporaryDirectory(dataDir, ".restore-");
            try {
                int materials = isSqlite(archive) ? stageDatabaseOnly(archive, staging) : stage(archive, staging);
                checkDatabase(staging.resolve(DATABASE));
                if (Files.exists(dbFile)) refuseIfInUse(dbFile);
                install(staging, dataDir, dbFile);
                return new Result(archive, dataDir, materials, narrowed);
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int stageDatabaseOnly(Path file, Path staging) throws IOException {
        // not Files.copy: it would give the copy the old backup's permissions
        try (InputStream in = Files.newInputStream(file); OutputStream out = PrivateFiles.create(staging.resolve(DATABASE))) {
            in.transferTo(out);
        }
        return 0;
    }

    /** Extracts the archive into {@code staging}, checking its entries' names and each material's sha256. */
    private static int stage(Path archive, Path staging) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            if (zip.getEntry(MANIFEST) == null || zip.getEntry(DATABASE) == null) {
                throw new IllegalArgumentException("not a Convene backup: " + archive + " has no " + MANIFEST + " and " + DATABASE);
            }
            int materials = 0;
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || name.equals(MANIFEST)) continue;
                var material = MATERIAL.matcher(name);
                if (!name.equals(DATABASE) && !name.equals(ADMIN_TOKEN) && !material.matches()) {
                    throw new IllegalArgumentException("not a Convene backup: " + archive + " holds an unexpected entry " + name);
                }
                if (material.matches() && !material.group(2).startsWith(material.group(1))) {
                    throw new IllegalArgumentException("damaged backup: " + name + " is filed under the wrong folder");
                }
                Path out = staging.resolve(name);
                PrivateFiles.directory(out.getParent());
                String sha;
                try (InputStream in = zip.getInputStream(entry)) {
                    sha = copyHashing(in, out);
                }
                if (material.matches()) {
                    if (!sha.equals(material.group(2))) throw new IllegalArgumentException("damaged backup: the content of " + name + " does not match its sha256");
                    materials++;
                }
            }
            return materials;
        } catch (ZipException e) {
            throw new IllegalArgumentException("not a Convene backup: " + archive + " is neither a backup archive nor a SQLite database", e);
        }
    }

    private static void checkDatabase(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             var rs = c.createStatement().executeQuery("PRAGMA quick_check")) {
            String result = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(result)) throw new IllegalArgumentException("damaged backup: its database fails SQLite's check (" + result + ")");
        } catch (SQLException e) {
            throw new IllegalArgumentException("damaged backup: its database cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Taken by a running service on its SQLite database's lock file and held until it stops (the system lets
     * go of it when the process dies), so that restore can tell the database is in use; SQLite's own locks in
     * WAL mode do not tell an idle service from none. Null when it cannot be taken.
     */
    static java.nio.channels.FileChannel markInUse(String databaseUrl) {
        Path db = databaseUrl.startsWith("jdbc:sqlite:") ? Database.sqliteFile(databaseUrl) : null;
        if (db == null) return null;
        try {
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile(db),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            try {
                if (channel.tryLock() != null) return channel;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // this JVM runs a service on it already
            }
            channel.close();
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path lockFile(Path db) {
        return Path.of(db.toAbsolutePath() + ".lock");
    }

    /** A running service holds the database's lock file; restore must not pull the database from under it. */
    private static void refuseIfInUse(Path db) {
        if (!Files.exists(lockFile(db))) return;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile(db), java.nio.file.StandardOpenOption.WRITE)) {
            var lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return;
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held in this JVM
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the database " + db + " is in use: stop the service before restoring");
    }

    /** Moves the staged files into place: the database replaced (with its WAL and shared-memory files), materials added. */
    private static void install(Path staging, Path dataDir, Path dbFile) throws IOException {
        PrivateFiles.directory(dbFile.toAbsolutePath().getParent());
        for (String suffix : List.of("-wal", "-shm", "-journal")) Files.deleteIfExists(Path.of(dbFile + suffix));
        Files.move(staging.resolve(DATABASE), dbFile, StandardCopyOption.REPLACE_EXISTING);
        Path materials = staging.resolve("materials");
        if (Files.isDirectory(materials)) {
            try (var files = Files.walk(materials)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = dataDir.resolve(staging.relativize(file));
                    Files.createDirectories(target.getParent());
                    // content-addressed: a file already there under this name has these very bytes
                    if (!Files.exists(target)) Files.move(file, target);
                }
            }
        }
        Path token = staging.resolve(ADMIN_TOKEN);
        if (Files.exists(token)) Files.move(token, dataDir.resolve(ADMIN_TOKEN), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The sha256 of every material file the database copy refers to. */
    private static Set<String> referencedMaterials(Path snapshot) {
        Set<String> shas = new LinkedHashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + snapshot.toAbsolutePath());
             var rs = c.createStatement().executeQuery(
                     "SELECT sha256 FROM materials UNION SELECT sha256 FROM products WHERE sha256 IS NOT NULL ORDER BY 1")) {
            while (rs.next()) shas.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database copy: " + e.getMessage(), e);
        }
        return shas;
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.exists(dir)) return true;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSqlite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void putFile(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
    }

    private static String copyHashing(InputStream in, Path out) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream digesting = new DigestInputStream(in, sha); OutputStream o = PrivateFiles.create(out)) {
                digesting.transferTo(o);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) Files.deleteIfExists(p);
        }
    }
}
