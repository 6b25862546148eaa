/** Wiring: configuration, the service's start and stop, the command line and the demo. May import every package. */
package org.convene.app;
