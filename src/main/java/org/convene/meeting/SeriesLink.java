package org.convene.meeting;

import java.time.LocalDate;

/** Where a meeting made by a series sits in it: the series, and the rule's date it stands for (before any holiday move). */
public record SeriesLink(long seriesId, LocalDate occurrenceDate) {}
