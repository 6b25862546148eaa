package org.convene.chat;

import org.jdbi.v3.core.Handle;

/**
 * A platform's mark that an inbound event was handled, taken in the same transaction as the answer the
 * event carries. A crash can then neither lose the answer (no mark: the platform's redelivery is handled)
 * nor count it twice (the mark is there: the redelivery is dropped).
 */
public interface Receipt {
    /** Takes the mark in {@code h}'s transaction; false when it was taken before (the event was handled already). */
    boolean takeIn(Handle h);

    /** For events that are never delivered twice (the local platform's). */
    Receipt NONE = h -> true;
}
