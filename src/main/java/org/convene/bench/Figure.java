package org.convene.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One measured figure, printed as one JSON line: {@code {"scenario","metric","value","unit","limit","ratio","machine"}}.
 * The ratio is value ÷ limit, where the limit is measured in the same run when it can be (machines are
 * noisy, ratios travel better than absolute numbers); it is null where the limit is zero.
 */
public record Figure(String scenario, String metric, double value, String unit, double limit, Machine machine) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Double ratio() {
        return limit == 0 ? null : round(value / limit, 4);
    }

    public String toJson() {
        ObjectNode line = JSON.createObjectNode().put("scenario", scenario).put("metric", metric).put("value", round(value, 3))
                .put("unit", unit).put("limit", round(limit, 3));
        Double ratio = ratio();
        if (ratio == null) line.putNull("ratio");
        else line.put("ratio", ratio);
        line.set("machine", JSON.valueToTree(machine));
        return line.toString();
    }

    static double round(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return value;
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
