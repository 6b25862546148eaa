package org.convene.schedule;

import java.time.LocalDate;

/** A public holiday: its date, its Vietnamese and English names, and its lunar date when it is reckoned by the moon (else null). */
public record Holiday(LocalDate date, String name, String nameEn, LunarDate lunar) {}
