package io.devportal.webhook.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL to list the metric names an expression reads. */
public final class PromQl {
    private static final Set<String> WORDS = Set.of(
            // aggregations and their modifiers
            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
            "group", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset",
            // functions
            "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile", "abs", "ceil", "floor",
            "round", "clamp_min", "clamp_max", "absent", "absent_over_time", "changes", "resets", "vector", "scalar",
            "time", "label_replace", "label_join", "sort", "sort_desc", "sum_over_time", "avg_over_time",
            "max_over_time", "min_over_time", "count_over_time", "last_over_time", "predict_linear");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {
    }

    /** The metric names in an expression: identifiers outside label matchers, ranges, groupings and strings. */
    public static Set<String> metricNames(String expr) {
        String bare = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")        // strings
                .replaceAll("\\{[^}]*}", " ")                      // label matchers
                .replaceAll("\\[[^]]*]", " ")                      // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
