/**
 * The chat platform port: {@link org.convene.chat.ChatPlatform} sends {@link org.convene.chat.OutgoingMessage}s
 * and platforms turn what users do into {@link org.convene.chat.InboundEvent}s. Knows nothing of meetings;
 * one sub-package per platform.
 */
package org.convene.chat;
