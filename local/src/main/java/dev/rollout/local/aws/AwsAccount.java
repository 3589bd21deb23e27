package dev.rollout.local.aws;

import java.util.Objects;
import java.util.regex.Pattern;

/** The region and account every in-memory service builds its ARNs from. */
public record AwsAccount(String region, String accountId) {

    // Declared before DEFAULT, whose construction uses it.
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public static final AwsAccount DEFAULT = new AwsAccount("us-east-1", "123456789012");

    public AwsAccount {
        Objects.requireNonNull(region, "region");
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId must be 12 digits, got " + accountId);
        }
    }

    /** {@code arn:aws:<service>:<region>:<account>:<resource>}. */
    public String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + accountId + ":" + resource;
    }

    /** {@code arn:aws:<service>::<account>:<resource>}, for global services such as IAM. */
    public String globalArn(String service, String resource) {
        return "arn:aws:" + service + "::" + accountId + ":" + resource;
    }
}
