package org.convene.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.chat.ChatPlatform;
import org.jdbi.v3.core.Jdbi;

/**
 * The platform file ids of documents already uploaded (kept in the database, remembered here), and the
 * uploads on their way: while one chat's upload of a file is in flight, the other chats wait for its
 * file id instead of uploading the same bytes again.
 */
final class DocumentFiles {
    private final Jdbi jdbi;
    private final Map<String, String> fileIds = new ConcurrentHashMap<>();
    private final Set<String> uploading = ConcurrentHashMap.newKeySet();

    DocumentFiles(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The platform's id for this content, if it holds it already. */
    Optional<String> fileId(ChatPlatform platform, String sha256) {
        String key = key(platform, sha256);
        String known = fileIds.get(key);
        if (known != null) return Optional.of(known);
        Optional<String> stored = jdbi.withExtension(DeliveryDao.class, d -> d.knownFile(platform.name(), platform.account(), sha256));
        stored.ifPresent(id -> fileIds.put(key, id));
        return stored;
    }

    /** Claims the one upload of this content; false when another send is uploading it right now. */
    boolean startUpload(ChatPlatform platform, String sha256) {
        return uploading.add(key(platform, sha256));
    }

    /**
     * The file id, if an upload ended since the message was made: {@link #uploadEnded} stores the id
     * before it frees the upload, so an upload claimed after that finds the id here.
     */
    Optional<String> justUploaded(ChatPlatform platform, String sha256) {
        return Optional.ofNullable(fileIds.get(key(platform, sha256)));
    }

    /** The upload ended: with the platform's file id, or null when it failed (the next send uploads again). */
    void uploadEnded(ChatPlatform platform, String sha256, String fileId) {
        String key = key(platform, sha256);
        if (fileId != null) fileIds.put(key, fileId);
        uploading.remove(key);
    }

    private static String key(ChatPlatform platform, String sha256) {
        return platform.name() + "/" + platform.account() + "/" + sha256;
    }
}
