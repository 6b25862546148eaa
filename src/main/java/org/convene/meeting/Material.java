package org.convene.meeting;

import java.time.Instant;

/**
 * One version of a document attached to a meeting; its bytes live content-addressed by {@code sha256}.
 * A replaced document keeps its earlier versions as rows of their own: {@code documentId} is the id of
 * its first version, and {@code replacedAt} is set on every version but the current one.
 */
public record Material(long id, long meetingId, String filename, String mediaType, long size, String sha256,
                       boolean confidential, Instant createdAt, Long documentId, int version, Instant replacedAt,
                       boolean observersMayView) {
    /**
     * The current versions of a meeting's documents, each in the place its first version had (binds
     * :meetingId). Rows copied in by other features (a committee's topic papers) may lack a document id:
     * such a row is its own document.
     */
    public static final String CURRENT_OF_MEETING =
            "SELECT * FROM materials WHERE meeting_id = :meetingId AND replaced_at IS NULL ORDER BY COALESCE(document_id, id), id";

    /** The document this is a version of (its first version's id). */
    public long document() {
        return documentId == null ? id : documentId;
    }

    public boolean current() {
        return replacedAt == null;
    }
}
