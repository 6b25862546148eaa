package org.convene.chat;

/** A platform account as the platform names it; {@code username} may be null. */
public record ChatUser(String id, String displayName, String username) {}
