/** The built-in local platform: chats kept in the database and shown on /local as a phone would, for the demo and tests. */
package org.convene.chat.local;
