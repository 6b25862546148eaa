/** Database setup: the pool, Jdbi, Flyway migrations and the named differences between SQLite and PostgreSQL. Imports no feature. */
package org.convene.store;
