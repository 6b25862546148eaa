package org.convene.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A webhook's shared secret, as a platform sends it back in a header (Telegram's, Zalo Bot's). */
public final class WebhookSecret {
    private final byte[] digest;

    public WebhookSecret(String secret) {
        this.digest = sha256(secret);
    }

    /** Compares digests, so the time taken tells nothing about the secret, not even its length. */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(digest, sha256(given));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
