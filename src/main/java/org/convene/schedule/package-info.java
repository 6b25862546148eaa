/** Reminder plans, quiet hours, firing reminders into the outbox, and the Quartz adapter. Imports meeting/, delivery/, store/. */
package org.convene.schedule;
