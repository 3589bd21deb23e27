package dev.rollout.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.rollout.local.aws.ApiGatewayErrors;
import dev.rollout.local.aws.CloudWatchErrors;
import dev.rollout.local.aws.FaultInjector;
import dev.rollout.local.aws.LambdaErrors;
import dev.rollout.local.aws.Route53Errors;
import dev.rollout.local.aws.SnsErrors;

/**
 * Arms a scenario's faults on the in-memory services: at once, or just before the task they are meant for runs
 * ({@code during}), so that they fail that task's calls and no other's.
 */
final class ScenarioFaults {
    private final LocalAws aws;
    private final Map<String, List<Scenario.Fault>> armedDuring = new HashMap<>();

    /** Arms every fault without a {@code during} task now; keeps the others for {@link #beforeInvoking}. */
    ScenarioFaults(Scenario scenario, LocalAws aws) {
        this.aws = aws;
        for (Scenario.Fault fault : scenario.faults()) {
            fault.during().ifPresentOrElse(
                    task -> armedDuring.computeIfAbsent(task + "Function", key -> new ArrayList<>()).add(fault),
                    () -> arm(fault));
        }
    }

    /** Arms the faults meant for the task function with this logical ID, the first time it is invoked. */
    void beforeInvoking(String function) {
        List<Scenario.Fault> faults = armedDuring.remove(function);
        if (faults != null) {
            faults.forEach(this::arm);
        }
    }

    private void arm(Scenario.Fault fault) {
        FaultInjector injector = switch (fault.service()) {
            case "cloudwatch" -> aws.cloudWatch().faults();
            case "sns" -> aws.sns().faults();
            case "apigateway" -> aws.apiGateway().faults();
            case "route53" -> aws.route53().faults();
            default -> aws.lambda().faults();
        };
        boolean throttled = fault.error().equals("throttled");
        Supplier<? extends RuntimeException> error = switch (fault.service()) {
            case "cloudwatch" -> throttled ? CloudWatchErrors::throttled : CloudWatchErrors::internalError;
            case "sns" -> throttled ? SnsErrors::throttled : SnsErrors::internalError;
            case "apigateway" -> throttled ? ApiGatewayErrors::throttled : ApiGatewayErrors::unavailable;
            case "route53" -> throttled ? Route53Errors::throttled : Route53Errors::unavailable;
            default -> throttled ? LambdaErrors::throttled : LambdaErrors::serviceError;
        };
        injector.failNext(fault.operation(), fault.times(), error);
    }
}
