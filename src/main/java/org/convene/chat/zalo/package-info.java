/**
 * Zalo through an Official Account: OpenAPI v3 and its group chats (GMF, Group Message Framework), the OA
 * access token refreshed by OAuth v4 and shared in the database, webhook events checked by their
 * {@code X-ZEvent-Signature} and turned into {@code InboundEvent}s. Zalo's JSON never leaves this package.
 * May import {@code org.convene.chat}, {@code org.convene.store} (settings, leases, writes), Jdbi, OkHttp,
 * Jackson and, in {@link org.convene.chat.zalo.ZaloRoutes} only, Javalin.
 */
package org.convene.chat.zalo;
