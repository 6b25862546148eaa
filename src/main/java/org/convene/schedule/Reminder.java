package org.convene.schedule;

import java.time.Instant;

/** One due instant of a meeting's reminder plan. */
public record Reminder(long id, long meetingId, int position, String offsetIso, String kind, Instant dueAt, String state,
                       Instant firedAt, Instant createdAt) {
    public static final String PENDING = "pending";
    public static final String FIRED = "fired";
    public static final String MISSED = "missed";
    public static final String CANCELLED = "cancelled";

    public static final String AGENDA = "agenda";
    public static final String REMINDER = "reminder";
    public static final String CHASE = "chase";
}
