package dev.rollout.handlers;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code application/x-www-form-urlencoded} text, as browsers send forms and query strings: the one place that
 * splits it into names and values, and joins them back.
 */
public final class FormUrlEncoding {
    private FormUrlEncoding() {
    }

    /**
     * @return every name's values, names in order of first appearance, values in order
     * @throws IllegalArgumentException when a name or value holds a malformed {@code %} escape
     */
    public static Map<String, List<String>> decode(String text) {
        return split(text, FormUrlEncoding::unescape);
    }

    /** As {@link #decode}, but a name or value with a malformed escape is kept as written, as query strings are. */
    public static Map<String, List<String>> decodeLeniently(String text) {
        return split(text, part -> {
            try {
                return unescape(part);
            } catch (IllegalArgumentException malformed) {
                return part;
            }
        });
    }

    /** The fields, in the map's order, as a form body. */
    public static String encode(Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(text.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return text.toString();
    }

    private static Map<String, List<String>> split(String text, UnaryOperator<String> unescape) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (text == null) {
            return fields;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = unescape.apply(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : unescape.apply(pair.substring(equals + 1));
            fields.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    private static String unescape(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
