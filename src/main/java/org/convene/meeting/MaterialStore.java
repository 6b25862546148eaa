package org.convene.meeting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Material bytes, content-addressed under {@code <data>/materials/ab/abcdef…}: the same file uploaded
 * twice is stored once, and a file is never half-written under its final name.
 */
public final class MaterialStore {
    private final Path root;

    public MaterialStore(Path dataDir) {
        this.root = dataDir.resolve("materials");
    }

    /** A file written to its final place, with what was learned while copying it. */
    public record Stored(String sha256, long size, Path path) {}

    /** Copies at most {@code maxBytes} from {@code in}; more than that is {@link ConveneException.TooLarge}. */
    public Stored put(InputStream in, long maxBytes) {
        return put(in, maxBytes, (staged, size) -> null).stored();
    }

    /** A stored file and what its check found out (its media type). */
    public record Accepted<T>(Stored stored, T value) {}

    /**
     * Like {@link #put(InputStream, long)}, but {@code check} looks at the staged copy (its path and size) before
     * it reaches its final place: when the check throws, the upload is refused and nothing of it stays on disk.
     */
    public <T> Accepted<T> put(InputStream in, long maxBytes, java.util.function.BiFunction<Path, Long, T> check) {
        try {
            org.convene.store.PrivateFiles.directory(root.getParent());
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, "upload-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (InputStream digesting = new DigestInputStream(in, sha);
                     var out = Files.newOutputStream(temp)) {
                    size = copyAtMost(digesting, out, maxBytes);
                }
                T value = check.apply(temp, size);
                String hex = HexFormat.of().formatHex(sha.digest());
                Path target = pathOf(hex);
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    try {
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return new Accepted<>(new Stored(hex, size, target), value);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static long copyAtMost(InputStream in, java.io.OutputStream out, long maxBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw new ConveneException.TooLarge("the file is larger than the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }
}
