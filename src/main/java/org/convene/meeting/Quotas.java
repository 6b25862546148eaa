package org.convene.meeting;

/**
 * What one unit may ask for, so that one token cannot fill the database or the bot's rate for everyone.
 * Generous: a real secretary meets none of them. A limit on a rate (meetings per day, chases per hour)
 * is a 429 with when to try again; a limit on a size (reminders, chats, series) a 422.
 *
 * @param meetingsPerDay      meetings a unit creates in 24 hours; those its series make count too, but a series is never refused by it
 * @param activeSeries        series of a unit that have not ended
 * @param remindersPerMeeting reminders in one meeting's plan
 * @param chats               chats bound to one unit
 * @param chasesPerHour       chases of one meeting in an hour
 */
public record Quotas(int meetingsPerDay, int activeSeries, int remindersPerMeeting, int chats, int chasesPerHour) {
    public static final Quotas GENEROUS = new Quotas(200, 50, 20, 50, 6);
}
