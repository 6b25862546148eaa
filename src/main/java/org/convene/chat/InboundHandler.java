package org.convene.chat;

/** Where platforms hand the events they received; implemented by the response feature. */
public interface InboundHandler {
    /**
     * Handles one event; for a button press, the returned notice is the answer the presser sees (may be
     * null). An answer the event carries is written with {@code receipt} taken in its transaction, and
     * not written when the receipt was taken before.
     */
    String handle(InboundEvent event, Receipt receipt);

    default String handle(InboundEvent event) {
        return handle(event, Receipt.NONE);
    }
}
