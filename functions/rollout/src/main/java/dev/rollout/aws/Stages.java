package dev.rollout.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import dev.rollout.domain.ForeignChange;
import dev.rollout.domain.Routing;
import dev.rollout.domain.StageMetrics;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.CanarySettings;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.UpdateStageResponse;

/**
 * Reads and routes API Gateway REST API stages and their canaries. A stage has no revision id, so a stage's
 * revision here is a fingerprint of everything that decides where its traffic goes (the stage's deployment and
 * variables, the canary's deployment, share and variables): a write first reads the stage and refuses with
 * {@link ForeignChange} unless its fingerprint is still the one the caller last saw. API Gateway cannot make that
 * read and the write one step; a change that lands between them is found at the next read.
 */
public final class Stages {
    private final ApiGatewayClient apiGateway;

    public Stages(ApiGatewayClient apiGateway) {
        this.apiGateway = apiGateway;
    }

    /** The stage's routing, or empty when the API or the stage does not exist. */
    public Optional<Routing> find(String restApiId, String stage) {
        try {
            GetStageResponse response = apiGateway.getStage(request -> request.restApiId(restApiId).stageName(stage));
            return Optional.of(routing(response.deploymentId(), response.variables(), response.canarySettings()));
        } catch (NotFoundException missing) {
            return Optional.empty();
        } catch (SdkException error) {
            throw AwsErrors.translate("GetStage " + restApiId + "/" + stage, error);
        }
    }

    public Routing read(String restApiId, String stage) {
        return find(restApiId, stage).orElseThrow(() -> new Rollout.Conflict(
                "stage " + restApiId + "/" + stage + " no longer exists"));
    }

    /** The stage's variables now. */
    public Map<String, String> variables(String restApiId, String stage) {
        try {
            Map<String, String> variables = apiGateway.getStage(request -> request.restApiId(restApiId)
                    .stageName(stage)).variables();
            return variables == null ? Map.of() : variables;
        } catch (NotFoundException gone) {
            throw new Rollout.Conflict("stage " + restApiId + "/" + stage + " no longer exists");
        } catch (SdkException error) {
            throw AwsErrors.translate("GetStage " + restApiId + "/" + stage, error);
        }
    }

    /** The {@code ApiName} dimension API Gateway publishes the API's metrics under (GetRestApi's name). */
    public String metricsApiName(String restApiId) {
        try {
            return StageMetrics.apiNameDimension(apiGateway.getRestApi(request -> request.restApiId(restApiId)).name(),
                    restApiId);
        } catch (NotFoundException gone) {
            throw new Rollout.Conflict("REST API " + restApiId + " no longer exists");
        } catch (SdkException error) {
            throw AwsErrors.translate("GetRestApi " + restApiId, error);
        }
    }

    public boolean deploymentExists(String restApiId, String deploymentId) {
        try {
            apiGateway.getDeployment(request -> request.restApiId(restApiId).deploymentId(deploymentId));
            return true;
        } catch (NotFoundException missing) {
            return false;
        } catch (SdkException error) {
            throw AwsErrors.translate("GetDeployment " + restApiId + " " + deploymentId, error);
        }
    }

    /**
     * Deploys the API as it is now, without naming a stage, so that no stage moves; returns the new deployment's id.
     */
    public String createDeployment(String restApiId, String description) {
        try {
            return apiGateway.createDeployment(request -> request.restApiId(restApiId).description(description)).id();
        } catch (SdkException error) {
            throw AwsErrors.translate("CreateDeployment " + restApiId, error);
        }
    }

    /** The canary serves {@code deploymentId} with {@code weight} of the stage's traffic and these variables. */
    public Routing canary(String restApiId, String stage, String deploymentId, Weight weight,
                          Map<String, String> variables, String lastSeen) {
        List<PatchOperation> operations = new ArrayList<>();
        operations.add(replace("/canarySettings/deploymentId", deploymentId));
        operations.add(replace("/canarySettings/percentTraffic", Double.toString(weight.percent())));
        new TreeMap<>(variables).forEach((name, value) ->
                operations.add(replace("/canarySettings/stageVariableOverrides/" + name, value)));
        return update(restApiId, stage, lastSeen, current -> operations);
    }

    /**
     * The canary's deployment and variables become the stage's own and the canary is removed, in one update: a stage
     * is never left on the new deployment with a canary still attached. Without a canary (a plan that shifted
     * nothing), the stage moves to {@code deploymentId} with {@code variables} directly.
     */
    public Routing promote(String restApiId, String stage, String deploymentId, Map<String, String> variables,
                           String lastSeen) {
        return update(restApiId, stage, lastSeen, current -> {
            List<PatchOperation> operations = new ArrayList<>();
            if (current.isSplit()) {
                operations.add(copy("/canarySettings/deploymentId", "/deploymentId"));
                if (!variables.isEmpty()) {
                    operations.add(copy("/canarySettings/stageVariableOverrides", "/variables"));
                }
                operations.add(PatchOperation.builder().op(Op.REMOVE).path("/canarySettings").build());
            } else {
                operations.add(replace("/deploymentId", deploymentId));
                new TreeMap<>(variables).forEach((name, value) -> operations.add(replace("/variables/" + name, value)));
            }
            return operations;
        });
    }

    /**
     * Every request back on {@code deploymentId}: the canary is removed, and a stage already moved to another
     * deployment is moved back, with the variables a promotion copied ({@code overridden}) as they were at the start
     * ({@code starting}; a variable that did not exist then is removed).
     */
    public Routing restore(String restApiId, String stage, String deploymentId, Set<String> overridden,
                           Map<String, String> starting, String lastSeen) {
        return update(restApiId, stage, lastSeen, current -> {
            List<PatchOperation> operations = new ArrayList<>();
            if (current.isSplit()) {
                operations.add(PatchOperation.builder().op(Op.REMOVE).path("/canarySettings").build());
            }
            if (!current.primary().equals(deploymentId)) {
                operations.add(replace("/deploymentId", deploymentId));
                for (String name : new TreeSet<>(overridden)) {
                    operations.add(starting.containsKey(name)
                            ? replace("/variables/" + name, starting.get(name))
                            : PatchOperation.builder().op(Op.REMOVE).path("/variables/" + name).build());
                }
            }
            return operations;
        });
    }

    /** Reads the stage, refuses unless it is as last seen, and applies the operations planned from what it read. */
    private Routing update(String restApiId, String stage, String lastSeen,
                           Function<Routing, List<PatchOperation>> plan) {
        Routing current = read(restApiId, stage);
        if (!current.revision().equals(lastSeen)) {
            throw new ForeignChange("stage " + restApiId + "/" + stage + " now routes " + current.describe()
                    + ", not what this rollout last saw");
        }
        List<PatchOperation> operations = plan.apply(current);
        try {
            UpdateStageResponse response = apiGateway.updateStage(request -> request
                    .restApiId(restApiId).stageName(stage).patchOperations(operations));
            return routing(response.deploymentId(), response.variables(), response.canarySettings());
        } catch (NotFoundException gone) {
            throw new Rollout.Conflict("stage " + restApiId + "/" + stage + " no longer exists");
        } catch (BadRequestException refused) {
            // A patch that no longer fits the stage: it changed since the read, perhaps by this very request, whose
            // first copy took effect before the SDK sent it again. Traffic's rules tell the two apart.
            Routing now = read(restApiId, stage);
            if (!now.revision().equals(current.revision())) {
                throw new ForeignChange("stage " + restApiId + "/" + stage + " now routes " + now.describe()
                        + ", not what this rollout last saw", refused, AwsErrors.resent(refused));
            }
            throw AwsErrors.translate("UpdateStage " + restApiId + "/" + stage, refused);
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateStage " + restApiId + "/" + stage, error);
        }
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }

    private static PatchOperation copy(String from, String path) {
        return PatchOperation.builder().op(Op.COPY).from(from).path(path).build();
    }

    /** Whole percents, as rollouts set them; a share someone set by hand (12.5) is rounded only for reading. */
    static Routing routing(String deploymentId, Map<String, String> variables, CanarySettings canary) {
        String revision = fingerprint(deploymentId, variables, canary);
        if (canary == null || canary.deploymentId() == null) {
            return Routing.whole(deploymentId, revision, "deployment");
        }
        Weight weight = Weight.percent((int) Math.round(canary.percentTraffic() == null ? 0 : canary.percentTraffic()));
        return Routing.split(deploymentId, canary.deploymentId(), weight, revision, "deployment");
    }

    /** Everything that decides where a stage's requests go, in a stable order. */
    static String fingerprint(String deploymentId, Map<String, String> variables, CanarySettings canary) {
        StringBuilder text = new StringBuilder("stage ").append(deploymentId).append(' ')
                .append(new TreeMap<>(variables == null ? Map.of() : variables));
        if (canary != null) {
            text.append(" canary ").append(canary.deploymentId()).append(' ').append(canary.percentTraffic())
                    .append(' ').append(new TreeMap<>(canary.stageVariableOverrides() == null ? Map.of()
                            : canary.stageVariableOverrides()));
        }
        return text.toString();
    }
}
