package dev.rollout.local.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code FunctionName} parameter as Lambda accepts it: a name, a partial ARN ({@code account:function:name}) or a
 * full ARN, each optionally followed by {@code :qualifier} (a version, {@code $LATEST} or an alias).
 */
record FunctionReference(String name, Optional<String> qualifier) {

    // Lambda's documented FunctionName pattern, with groups named for the parts we need.
    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d):"
                    + "(?<arnAccount>\\d{12}):function:"
                    + "|(?<partialAccount>\\d{12}):function:)?"
                    + "(?<name>[a-zA-Z0-9-_]+)(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9-_]+))?");
    private static final int MAX_NAME_LENGTH = 64;
    private static final int MAX_ARN_LENGTH = 140;

    /** Parses {@code raw}; a reference to another account or region names no function here, as in AWS. */
    static FunctionReference parse(String raw, AwsAccount account) {
        if (raw == null) {
            throw LambdaErrors.validation("null", "functionName", "Member must not be null");
        }
        Matcher m = FUNCTION_NAME.matcher(raw);
        if (!m.matches() || raw.length() > MAX_ARN_LENGTH) {
            throw LambdaErrors.validation(raw, "functionName",
                    "Member must satisfy regular expression pattern: " + FUNCTION_NAME.pattern()
                            + " and have length less than or equal to " + MAX_ARN_LENGTH);
        }
        String name = m.group("name");
        if (name.length() > MAX_NAME_LENGTH) {
            throw LambdaErrors.validation(raw, "functionName",
                    "Member must have a function name of length less than or equal to " + MAX_NAME_LENGTH);
        }
        String region = m.group("region");
        String accountId = m.group("arnAccount") != null ? m.group("arnAccount") : m.group("partialAccount");
        if ((region != null && !region.equals(account.region()))
                || (accountId != null && !accountId.equals(account.accountId()))) {
            throw LambdaErrors.notFound("Function not found: " + raw);
        }
        return new FunctionReference(name, Optional.ofNullable(m.group("qualifier")));
    }

    /** For operations that address the function itself, where a qualifier in the name has no meaning. */
    static String parseUnqualified(String raw, AwsAccount account) {
        FunctionReference reference = parse(raw, account);
        if (reference.qualifier().isPresent()) {
            throw LambdaErrors.invalidParameter(
                    "FunctionName must be unqualified for this operation, got " + raw);
        }
        return reference.name();
    }

    /**
     * Combines the qualifier inside the name with a separate {@code Qualifier} parameter; they must agree when both
     * are given.
     */
    static FunctionReference parse(String raw, String qualifierParameter, AwsAccount account) {
        FunctionReference reference = parse(raw, account);
        if (qualifierParameter == null) {
            return reference;
        }
        if (reference.qualifier().isPresent() && !reference.qualifier().get().equals(qualifierParameter)) {
            throw LambdaErrors.invalidParameter(
                    "The derived qualifier from the function name does not match the specified qualifier.");
        }
        return new FunctionReference(reference.name(), Optional.of(qualifierParameter));
    }
}
