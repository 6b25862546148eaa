package org.convene.bench;

import java.util.List;

/** One benchmark: sets up, runs a real Convene against the fake Bot API, and returns its figures. */
interface Scenario {
    String name();

    List<Figure> run(Machine machine) throws Exception;

    /** Progress for the operator on stderr; stdout carries only the JSON lines. */
    static void progress(String scenario, String message) {
        System.err.printf("[%s] %s%n", scenario, message);
    }
}
