/**
 * Zalo's Bot Platform (the bot a secretary makes in the Zalo app with "Zalo Bot Creator"): the Bot API at
 * {@code <apiUrl>/bot<token>/<method>} with {@code {"ok","result"}} answers, the webhook checked by its
 * {@code X-Bot-Api-Secret-Token} header or long polling under a lease, text events turned into
 * {@code InboundEvent}s. Zalo's JSON never leaves this package. May import {@code org.convene.chat},
 * {@code org.convene.store} (settings, leases, writes), Jdbi, OkHttp, Jackson and, in
 * {@link org.convene.chat.zalobot.ZaloBotRoutes} only, Javalin.
 */
package org.convene.chat.zalobot;
