package dev.rollout.local.asl;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SAM's DefinitionSubstitutions: each {@code ${Name}} in the definition text becomes the value given for Name. */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Placeholders() {
    }

    static String substitute(String definition, Map<String, String> substitutions) {
        Set<String> missing = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        StringBuilder substituted = new StringBuilder();
        while (matcher.find()) {
            String value = substitutions.get(matcher.group(1));
            if (value == null) {
                missing.add("${" + matcher.group(1) + "}");
                value = matcher.group();
            }
            matcher.appendReplacement(substituted, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(substituted);
        if (!missing.isEmpty()) {
            throw new InvalidDefinitionException("The definition uses "
                    + (missing.size() == 1 ? "placeholder " : "placeholders ") + String.join(", ", missing)
                    + " with no value in the substitutions");
        }
        return substituted.toString();
    }
}
