package org.convene.meeting;

/** One item of a meeting's agenda; presenter and minutes are optional. */
public record AgendaItem(String title, String presenter, Integer minutes) {}
