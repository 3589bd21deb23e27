package dev.rollout.aws;

import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.ForeignChange;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

/** Reads and routes Lambda aliases. Every write is guarded by the revision the caller last saw. */
public final class Aliases {
    private final LambdaClient lambda;

    public Aliases(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** The alias' routing, or empty when the function or alias does not exist. */
    public Optional<Routing> find(String function, String alias) {
        try {
            GetAliasResponse response = lambda.getAlias(request -> request.functionName(function).name(alias));
            return Optional.of(routing(response.functionVersion(), response.routingConfig(), response.revisionId()));
        } catch (ResourceNotFoundException missing) {
            return Optional.empty();
        } catch (SdkException error) {
            throw AwsErrors.translate("GetAlias " + function + ":" + alias, error);
        }
    }

    public Routing read(String function, String alias) {
        return find(function, alias).orElseThrow(() -> new Rollout.Conflict(
                "alias " + function + ":" + alias + " no longer exists"));
    }

    public boolean functionExists(String function) {
        return configurationExists(function, null);
    }

    public boolean versionExists(String function, String version) {
        return configurationExists(function, version);
    }

    /** GetFunction rather than GetFunctionConfiguration: its own quota of 100 a second, not the shared 15. */
    private boolean configurationExists(String function, String qualifier) {
        try {
            lambda.getFunction(request -> request.functionName(function).qualifier(qualifier));
            return true;
        } catch (ResourceNotFoundException missing) {
            return false;
        } catch (SdkException error) {
            throw AwsErrors.translate("GetFunction " + function, error);
        }
    }

    /**
     * Routes the alias: {@code primary} gets the rest, {@code extra} gets {@code weight}
     * (or no split at all when {@code extra} is empty).
     *
     * @throws ForeignChange when the alias changed since {@code expectedRevision} was read
     */
    public Routing route(String function, String alias, String primary, Optional<String> extra, Weight weight,
                              String expectedRevision) {
        Map<String, Double> weights = extra.map(version -> Map.of(version, weight.fraction())).orElse(Map.of());
        try {
            UpdateAliasResponse response = lambda.updateAlias(request -> request
                    .functionName(function)
                    .name(alias)
                    .functionVersion(primary)
                    // An empty map clears the routing configuration.
                    .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build())
                    .revisionId(expectedRevision));
            return routing(response.functionVersion(), response.routingConfig(), response.revisionId());
        } catch (PreconditionFailedException stale) {
            throw new ForeignChange("alias " + function + ":" + alias + " changed since revision " + expectedRevision,
                    stale, AwsErrors.resent(stale));
        } catch (ResourceNotFoundException missing) {
            // Writers do not read first: an alias deleted since is someone else's change, as a read would have found;
            // a version that is gone stays a failed dependency.
            if (find(function, alias).isEmpty()) {
                throw new ForeignChange("alias " + function + ":" + alias + " no longer exists", missing);
            }
            throw AwsErrors.translate("UpdateAlias " + function + ":" + alias, missing);
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateAlias " + function + ":" + alias, error);
        }
    }

    private static Routing routing(String version, AliasRoutingConfiguration config, String revision) {
        Map<String, Double> weights = config == null ? Map.of() : config.additionalVersionWeights();
        return Routing.ofAlias(version, weights, revision);
    }
}
