/**
 * The Telegram Bot API platform: a client over OkHttp, the port's {@code ChatPlatform}, updates by webhook
 * or long polling turned into {@code InboundEvent}s. Telegram's JSON never leaves this package. May import
 * {@code org.convene.chat}, {@code org.convene.store} (shared settings), Jdbi, OkHttp, Jackson and, in
 * {@link org.convene.chat.telegram.TelegramRoutes} only, Javalin.
 */
package org.convene.chat.telegram;
