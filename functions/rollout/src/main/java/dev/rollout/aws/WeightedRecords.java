package dev.rollout.aws;

import Rollout.Throttled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.ForeignChange;
import dev.rollout.domain.Propagation;
import dev.rollout.domain.RecordWeights;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.PriorRequestNotCompleteException;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reads and reweighs the two weighted record sets of a Route 53 rollout. Route 53 has no revision id: a pair's
 * revision is a fingerprint of both records as read, and every write is one {@code ChangeResourceRecordSets} batch
 * that DELETEs the two records exactly as last seen and CREATEs them with the new weights. Route 53 applies a batch
 * whole or not at all, and refuses a DELETE of a record that is not exactly there ({@code InvalidChangeBatch}), so a
 * change by anyone else in between makes the batch fail, untouched: a compare-and-swap. (An {@code UPSERT} would
 * overwrite their change.)
 */
public final class WeightedRecords {
    /**
     * An alias record has no TTL of its own: Route 53 answers with the TTL of the AWS resource it points to, 60 seconds
     * for load balancers and the other AWS targets Route 53 documents.
     */
    static final long ALIAS_TTL_SECONDS = 60;
    /** Route 53 judges a health check healthy when more than this share of its health checkers report it healthy. */
    static final double HEALTHY_SHARE = 0.18;

    private final Route53Client route53;

    public WeightedRecords(Route53Client route53) {
        this.route53 = route53;
    }

    /**
     * The record sets of the target's name and type, by {@code SetIdentifier}, as Route 53 returns them.
     *
     * @return empty when the hosted zone does not exist
     */
    public Optional<Group> find(Target.Route53Weighted target) {
        Map<String, ResourceRecordSet> sets = new LinkedHashMap<>();
        String zone = target.hostedZoneId();
        String nextName = target.recordName();
        String nextType = target.recordType();
        String nextIdentifier = null;
        try {
            while (true) {
                String name = nextName;
                String type = nextType;
                String identifier = nextIdentifier;
                ListResourceRecordSetsResponse page = route53.listResourceRecordSets(request -> request
                        .hostedZoneId(zone).startRecordName(name).startRecordType(type)
                        .startRecordIdentifier(identifier));
                boolean past = false;
                for (ResourceRecordSet set : page.resourceRecordSets()) {
                    if (!normalized(set.name()).equals(target.recordName())
                            || !set.typeAsString().equals(target.recordType())) {
                        // Listed in order of name and type: past the first other one, none of ours follows.
                        past = true;
                        break;
                    }
                    if (set.setIdentifier() != null) {
                        sets.put(set.setIdentifier(), set);
                    }
                }
                if (past || !Boolean.TRUE.equals(page.isTruncated())) {
                    return Optional.of(new Group(target, sets));
                }
                nextName = page.nextRecordName();
                nextType = page.nextRecordTypeAsString();
                nextIdentifier = page.nextRecordIdentifier();
            }
        } catch (NoSuchHostedZoneException missing) {
            return Optional.empty();
        } catch (SdkException error) {
            throw translate("ListResourceRecordSets " + target.title() + " in " + zone, error);
        }
    }

    /**
     * The two record sets of the rollout.
     *
     * @throws Rollout.Conflict when the hosted zone or one of the two weighted record sets no longer exists
     */
    public Pair read(Target.Route53Weighted target) {
        Group group = find(target).orElseThrow(() -> new Rollout.Conflict("hosted zone " + target.hostedZoneId()
                + " no longer exists"));
        return group.pair().orElseThrow(() -> new Rollout.Conflict("record " + target.title() + " in hosted zone "
                + target.hostedZoneId() + " no longer has weighted record sets \"" + target.from() + "\" and \""
                + target.to() + "\""));
    }

    /**
     * Sets the two records' weights, in one batch that deletes them exactly as {@code lastSeen} and creates them with
     * {@code weights}.
     *
     * @return the routing written, with the change to wait for before it takes effect
     * @throws ForeignChange when the records are no longer as the rollout last saw them
     */
    public Routing reweigh(Target.Route53Weighted target, RecordWeights weights, String lastSeen) {
        Pair current = read(target);
        if (!current.revision().equals(lastSeen)) {
            throw new ForeignChange("record " + target.title() + " now routes " + current.routing().describe()
                    + ", not what this rollout last saw");
        }
        ResourceRecordSet from = current.from().toBuilder().weight(weights.from()).build();
        ResourceRecordSet to = current.to().toBuilder().weight(weights.to()).build();
        List<Change> changes = new ArrayList<>();
        changes.add(change(ChangeAction.DELETE, current.from()));
        changes.add(change(ChangeAction.DELETE, current.to()));
        changes.add(change(ChangeAction.CREATE, from));
        changes.add(change(ChangeAction.CREATE, to));
        try {
            ChangeInfo info = route53.changeResourceRecordSets(request -> request.hostedZoneId(target.hostedZoneId())
                    .changeBatch(batch -> batch.comment("lambda-rollout: " + target.to() + " " + weights.share()
                            + " (" + weights + ")").changes(changes))).changeInfo();
            Pair written = new Pair(target, from, to);
            return written.routing().propagating(new Propagation(Optional.of(info.id()), written.ttlSeconds()));
        } catch (InvalidChangeBatchException changed) {
            throw new ForeignChange("Route 53 refused to delete record " + target.title() + " as this rollout last"
                    + " saw it: " + changed.awsErrorDetails().errorMessage(), changed, AwsErrors.resent(changed));
        } catch (NoSuchHostedZoneException gone) {
            throw new Rollout.Conflict("hosted zone " + target.hostedZoneId() + " no longer exists");
        } catch (SdkException error) {
            throw translate("ChangeResourceRecordSets " + target.title() + " in " + target.hostedZoneId(), error);
        }
    }

    /** Whether Route 53 has applied a change on all its name servers. */
    public boolean inSync(String changeId) {
        try {
            return route53.getChange(request -> request.id(changeId)).changeInfo().status() == ChangeStatus.INSYNC;
        } catch (SdkException error) {
            throw translate("GetChange " + changeId, error);
        }
    }

    /**
     * Route 53's verdict on a health check from its health checkers' latest observations: healthy when more than 18%
     * of them report success (the rule Route 53's developer guide gives for endpoint health checks).
     *
     * @return empty when healthy, else why not
     */
    public Optional<String> unhealthy(String healthCheckId) {
        List<HealthCheckObservation> observations;
        try {
            observations = route53.getHealthCheckStatus(request -> request.healthCheckId(healthCheckId))
                    .healthCheckObservations();
        } catch (SdkException error) {
            throw translate("GetHealthCheckStatus " + healthCheckId, error);
        }
        if (observations.isEmpty()) {
            return Optional.of("no Route 53 health checker reports on health check " + healthCheckId + " yet");
        }
        List<String> failures = new ArrayList<>();
        long healthy = 0;
        for (HealthCheckObservation observation : observations) {
            String status = observation.statusReport() == null ? "" : observation.statusReport().status();
            if (status != null && status.startsWith("Success")) {
                healthy++;
            } else {
                failures.add(observation.regionAsString() + " reports " + status);
            }
        }
        if (healthy > HEALTHY_SHARE * observations.size()) {
            return Optional.empty();
        }
        return Optional.of("health check " + healthCheckId + " is unhealthy: " + healthy + " of " + observations.size()
                + " Route 53 health checkers report it healthy (Route 53 needs more than 18%; the checker in "
                + failures.get(0) + ")");
    }

    private static Change change(ChangeAction action, ResourceRecordSet set) {
        return Change.builder().action(action).resourceRecordSet(set).build();
    }

    /** Route 53's own word for "too many requests to this zone at once" is PriorRequestNotComplete, a 400. */
    private static Rollout.Failure translate(String action, SdkException error) {
        if (error instanceof PriorRequestNotCompleteException) {
            return new Throttled(action + " must wait for an earlier change of the zone: " + error.getMessage(), error);
        }
        return AwsErrors.translate(action, error);
    }

    /** A name as Route 53 lists it ({@code api.example.com.}, {@code \052.example.com.}) as the input names it. */
    static String normalized(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replace("\\052", "*");
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Every record set of the target's name and type, by SetIdentifier. */
    public record Group(Target.Route53Weighted target, Map<String, ResourceRecordSet> sets) {
        /** The rollout's two record sets, when both exist as weighted record sets. */
        public Optional<Pair> pair() {
            return weighted(target.from()).flatMap(from -> weighted(target.to()).map(to -> new Pair(target, from, to)));
        }

        /** A weighted record set of this name and type; another routing policy's record set does not count. */
        public Optional<ResourceRecordSet> weighted(String setIdentifier) {
            return Optional.ofNullable(sets.get(setIdentifier)).filter(set -> set.weight() != null);
        }

        /** The weighted record sets other than the rollout's two that receive queries, with their weights. */
        public Map<String, Long> othersServing() {
            Map<String, Long> others = new LinkedHashMap<>();
            sets.forEach((identifier, set) -> {
                if (!identifier.equals(target.from()) && !identifier.equals(target.to()) && set.weight() != null
                        && set.weight() > 0) {
                    others.put(identifier, set.weight());
                }
            });
            return others;
        }
    }

    /** The rollout's two weighted record sets as read. */
    public record Pair(Target.Route53Weighted target, ResourceRecordSet from, ResourceRecordSet to) {
        public RecordWeights weights() {
            return new RecordWeights(from.weight(), to.weight());
        }

        public Routing routing() {
            return weights().routing(target.from(), target.to(), revision());
        }

        /** The longer of the two records' TTLs: how long a resolver may answer from before a change. */
        long ttlSeconds() {
            return Math.max(ttl(from), ttl(to));
        }

        private static long ttl(ResourceRecordSet set) {
            return set.ttl() == null ? ALIAS_TTL_SECONDS : set.ttl();
        }

        /**
         * A fingerprint of both records: everything that decides what Route 53 answers for them (weight, TTL, values
         * or alias target, health check). The batch itself deletes the records as read, so a change the fingerprint
         * left out would still make it fail.
         */
        public String revision() {
            String text = describe(from) + "\n" + describe(to);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return "route53:" + HexFormat.of().formatHex(digest, 0, 16);
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("every JVM has SHA-256", impossible);
            }
        }

        private static String describe(ResourceRecordSet set) {
            StringBuilder text = new StringBuilder().append(set.setIdentifier()).append(' ').append(set.weight())
                    .append(' ').append(set.ttl()).append(' ').append(set.healthCheckId());
            for (ResourceRecord record : set.resourceRecords()) {
                text.append(' ').append(record.value());
            }
            if (set.aliasTarget() != null) {
                text.append(" alias ").append(set.aliasTarget().hostedZoneId()).append(' ')
                        .append(set.aliasTarget().dnsName()).append(' ')
                        .append(set.aliasTarget().evaluateTargetHealth());
            }
            return text.toString();
        }
    }
}
