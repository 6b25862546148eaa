package org.convene.meeting;

import java.time.Instant;

/** A document attached to a meeting; its bytes live content-addressed by {@code sha256}. */
public record Material(long id, long meetingId, String filename, String mediaType, long size, String sha256,
                       boolean confidential, Instant createdAt) {}
