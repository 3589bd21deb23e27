package dev.rollout.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What API Gateway published for one side of a stage canary over a window ({@code AWS/ApiGateway}, dimensions
 * {@code ApiName} and {@code Stage}): the canary's under {@code Stage = <stage>/Canary}, the base stage's under
 * {@code Stage = <stage>}.
 *
 * @param side         for sentences: {@code canary (deployment d2)}, {@code stage prod}
 * @param stage        the {@code Stage} dimension's value the figures were read under
 * @param requests     the {@code Count} of requests
 * @param serverErrors the {@code 5XXError} sum
 * @param clientErrors the {@code 4XXError} sum
 * @param p99Millis    the 99th percentile of {@code Latency}; empty when CloudWatch has none (no requests)
 */
public record StageMetrics(String side, String stage, long requests, long serverErrors, long clientErrors,
                           Optional<Double> p99Millis) implements Measurements {

    public double serverErrorRatePercent() {
        return requests == 0 ? 0 : 100.0 * serverErrors / requests;
    }

    public double clientErrorRatePercent() {
        return requests == 0 ? 0 : 100.0 * clientErrors / requests;
    }

    /** A side that served nothing: what a promoted stage's window is compared with. */
    public static StageMetrics none(String side, String stage) {
        return new StageMetrics(side, stage, 0, 0, 0, Optional.empty());
    }

    /** The stage's own figures, once {@code deployment} is the stage's deployment and no canary is left. */
    public StageMetrics promoted(String deployment) {
        return new StageMetrics(side + " (deployment " + deployment + ")", stage, requests, serverErrors, clientErrors,
                p99Millis);
    }

    /**
     * The {@code ApiName} dimension API Gateway publishes an API's metrics under: its name without the characters
     * that are not ASCII, or its id when no character is left (API Gateway's "dimensions and metrics" page).
     */
    public static String apiNameDimension(String apiName, String restApiId) {
        String ascii = apiName == null ? "" : apiName.replaceAll("[^\\x00-\\x7F]", "");
        return ascii.isEmpty() ? restApiId : ascii;
    }

    /** {@code canary (deployment d2) 300 req, 4.0% 5XX, 0.0% 4XX, p99 75 ms}. */
    @Override
    public String describe() {
        return side + " " + requests + " req, " + String.format(Locale.ROOT, "%.1f", serverErrorRatePercent())
                + "% 5XX, " + String.format(Locale.ROOT, "%.1f", clientErrorRatePercent()) + "% 4XX, p99 "
                + p99Millis.map(p99 -> String.format(Locale.ROOT, "%.0f ms", p99)).orElse("none");
    }
}
