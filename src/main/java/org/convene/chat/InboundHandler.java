package org.convene.chat;

/** Where platforms hand the events they received; implemented by the response feature. */
public interface InboundHandler {
    /** Handles one event; for a button press, the returned notice is the answer the presser sees (may be null). */
    String handle(InboundEvent event);
}
