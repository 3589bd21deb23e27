package dev.rollout.local.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** One function's state: {@code $LATEST}, its published versions, aliases and tags. */
final class LambdaFunction {

    /** {@code $LATEST} first, then versions in numeric order, as ListVersionsByFunction returns them. */
    static final Comparator<String> VERSION_ORDER = Comparator
            .comparing((String v) -> !v.equals(FunctionVersion.LATEST))
            .thenComparing(v -> v.equals(FunctionVersion.LATEST) ? 0L : Long.parseLong(v));

    private final String name;
    private final String arn;
    private int codeRevision;
    private FunctionVersion latest;
    private final List<FunctionVersion> published = new ArrayList<>();
    private final Map<String, FunctionAlias> aliases = new TreeMap<>();
    private final Map<String, String> tags = new TreeMap<>();

    LambdaFunction(String name, AwsAccount account, Instant now) {
        this.name = name;
        this.arn = account.arn("lambda", "function:" + name);
        this.latest = new FunctionVersion(FunctionVersion.LATEST, codeSha256(), "", now, newRevisionId());
    }

    String name() {
        return name;
    }

    String arn() {
        return arn;
    }

    String arn(String qualifier) {
        return arn + ":" + qualifier;
    }

    FunctionVersion latest() {
        return latest;
    }

    List<FunctionVersion> versions() {
        List<FunctionVersion> all = new ArrayList<>();
        all.add(latest);
        all.addAll(published);
        return all;
    }

    /** {@code $LATEST} or a published version; Lambda's not-found error otherwise. */
    FunctionVersion version(String version) {
        if (version.equals(FunctionVersion.LATEST)) {
            return latest;
        }
        return published.stream()
                .filter(v -> v.version().equals(version))
                .findFirst()
                .orElseThrow(() -> LambdaErrors.notFound("Function not found: " + arn(version)));
    }


    /** Replaces the code of {@code $LATEST}, as a deployment does before a version is published. */
    void deployNewCode(Instant now) {
        codeRevision++;
        latest = new FunctionVersion(FunctionVersion.LATEST, codeSha256(), latest.description(), now,
                newRevisionId());
    }

    /**
     * Publishes {@code $LATEST} as the next version number. Like Lambda, returns the latest published version instead
     * when the code has not changed since it was published.
     */
    FunctionVersion publish(String description, Instant now) {
        if (!published.isEmpty() && published.get(published.size() - 1).codeSha256().equals(latest.codeSha256())) {
            return published.get(published.size() - 1);
        }
        FunctionVersion version = new FunctionVersion(String.valueOf(published.size() + 1), latest.codeSha256(),
                description == null ? "" : description, now, newRevisionId());
        published.add(version);
        return version;
    }

    Optional<FunctionAlias> findAlias(String aliasName) {
        return Optional.ofNullable(aliases.get(aliasName));
    }

    FunctionAlias alias(String aliasName) {
        return findAlias(aliasName)
                .orElseThrow(() -> LambdaErrors.notFound("Cannot find alias arn: " + arn(aliasName)));
    }

    Collection<FunctionAlias> aliases() {
        return aliases.values();
    }

    void putAlias(FunctionAlias alias) {
        aliases.put(alias.name(), alias);
    }

    Map<String, String> tags() {
        return tags;
    }

    private String codeSha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((name + "#" + codeRevision).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    static String newRevisionId() {
        return UUID.randomUUID().toString();
    }
}
