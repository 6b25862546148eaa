package org.convene.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The data carried by reply buttons: {@code r:<meetingId>:<action>:<tag>}, ASCII and far below
 * Telegram's 64-byte callback_data limit. The tag is an HMAC of the rest under the service's own key,
 * so a crafted button cannot answer for another meeting or pick an action the bot never offered.
 */
public final class ButtonIds {
    /** What a button says; reason buttons answer "can't come" with a coded reason. */
    public enum Action {
        RECEIVED('a', null), COMING('y', null), ABSENT('n', null),
        SICK('s', "sick"), WORK('w', "work"), TRAVEL('t', "travel"), FAMILY('f', "family"), OTHER('o', "other");

        final char code;
        private final String reasonCode;

        Action(char code, String reasonCode) {
            this.code = code;
            this.reasonCode = reasonCode;
        }

        /** The reason code of a reason button, or null. */
        public String reasonCode() {
            return reasonCode;
        }
    }

    public record Parsed(long meetingId, Action action) {}

    private static final int TAG_BYTES = 6;

    private final SecretKeySpec key;
    /**
     * Macs made once and lent out: looking the algorithm up costs more than the HMAC, and every webhook
     * runs on a fresh virtual thread, so a Mac per thread would be made anew each time (doFinal resets it).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Mac> macs = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public ButtonIds(byte[] key) {
        if (key.length < 16) throw new IllegalArgumentException("the button key needs at least 16 bytes");
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String of(Action action, long meetingId) {
        String body = "r:" + meetingId + ":" + action.code;
        return body + ":" + tag(body);
    }

    public Optional<Parsed> parse(String id) {
        if (id == null) return Optional.empty();
        String[] parts = id.split(":");
        if (parts.length != 4 || !parts[0].equals("r") || parts[2].length() != 1) return Optional.empty();
        String body = parts[0] + ":" + parts[1] + ":" + parts[2];
        if (!MessageDigest.isEqual(tag(body).getBytes(StandardCharsets.US_ASCII), parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            long meetingId = Long.parseLong(parts[1]);
            return Arrays.stream(Action.values()).filter(a -> a.code == parts[2].charAt(0)).findFirst().map(a -> new Parsed(meetingId, a));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String tag(String body) {
        Mac mac = macs.poll();
        if (mac == null) mac = newMac();
        byte[] full = mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        macs.offer(mac);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, TAG_BYTES));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
