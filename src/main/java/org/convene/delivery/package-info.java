/** The outbox, the dispatcher that drains it through the chat port, and message rendering from templates/. Imports meeting/, chat/, store/. */
package org.convene.delivery;
