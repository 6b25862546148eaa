/** Acknowledgements, RSVPs with reasons, attendance, and what members do in the chats. Imports meeting/, delivery/, chat/, store/. */
package org.convene.response;
