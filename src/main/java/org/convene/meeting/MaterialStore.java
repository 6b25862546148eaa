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
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, "upload-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (InputStream digesting = new DigestInputStream(in, sha);
                     var out = Files.newOutputStream(temp)) {
                    size = copyAtMost(digesting, out, maxBytes);
                }
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
                return new Stored(hex, size, target);
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
