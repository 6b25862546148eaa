/** Units, people, chats bound to units, meetings, agenda and materials: the core rules and their store. Imports only store/. */
package org.convene.meeting;
