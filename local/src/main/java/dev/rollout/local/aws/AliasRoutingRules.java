package dev.rollout.local.aws;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Lambda's rules for an alias's routing configuration, checked in the order Lambda checks them: at most one
 * additional version, a weight in [0.0, 1.0), an additional version different from the primary one, no routing on an
 * alias of {@code $LATEST}, and an additional version that is a published version of the function.
 */
final class AliasRoutingRules {

    private static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]+");

    private AliasRoutingRules() {
    }

    /**
     * @param publishedVersionMustExist throws Lambda's not-found error when its argument names no published version
     */
    static void check(String primaryVersion, Map<String, Double> additionalWeights,
            Consumer<String> publishedVersionMustExist) {
        if (additionalWeights.size() > 1) {
            throw LambdaErrors.invalidParameter(
                    "Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        for (Map.Entry<String, Double> entry : additionalWeights.entrySet()) {
            String version = entry.getKey();
            Double weight = entry.getValue();
            // A weight of 1.0 would leave the primary version no traffic; Lambda refuses it along with
            // out-of-range values, with the wording of its request-model constraint.
            if (weight == null || !(weight >= 0.0 && weight < 1.0)) {
                throw LambdaErrors.validation(additionalWeights.toString(), "routingConfig.additionalVersionWeights",
                        "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                                + "Member must have value greater than or equal to 0.0, Member must not be null]");
            }
            if (version.equals(primaryVersion)) {
                throw LambdaErrors.invalidParameter("Invalid function version " + primaryVersion + ". Function version "
                        + primaryVersion + " is already included in routing configuration.");
            }
            if (primaryVersion.equals(FunctionVersion.LATEST)) {
                throw LambdaErrors.invalidParameter(
                        "$LATEST is not supported for an alias pointing to more than 1 version");
            }
            if (!VERSION_NUMBER.matcher(version).matches()) {
                throw LambdaErrors.validation(additionalWeights.toString(), "routingConfig.additionalVersionWeights",
                        "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, "
                                + "Member must have length greater than or equal to 1, "
                                + "Member must satisfy regular expression pattern: [0-9]+, Member must not be null]");
            }
            publishedVersionMustExist.accept(version);
        }
    }
}
