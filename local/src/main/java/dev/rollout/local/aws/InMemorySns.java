package dev.rollout.local.aws;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;
import software.amazon.awssdk.services.sns.model.CreateTopicResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * SNS topics in memory. Nothing is delivered: every accepted message goes to an ordered outbox that tests and the
 * simulator read, and optionally to a JSON-lines journal file.
 */
public final class InMemorySns implements SnsClient {

    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern TOPIC_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private final Clock clock;
    private final AwsAccount account;
    private final MessageJournal journal;
    private final Set<String> topicArns = new TreeSet<>();
    private final List<PublishedMessage> outbox = new ArrayList<>();
    private final FaultInjector faults = new FaultInjector(Set.of("CreateTopic", "Publish"));

    public InMemorySns(Clock clock) {
        this(clock, AwsAccount.DEFAULT, null);
    }

    /** @param journal a file each published message is appended to as one JSON line, or null for no file */
    public InMemorySns(Clock clock, AwsAccount account, Path journal) {
        this.clock = clock;
        this.account = account;
        this.journal = journal == null ? null : new MessageJournal(journal);
    }

    /** Creates a standard topic (or finds the existing one) and returns its ARN. */
    public synchronized String addTopic(String name) {
        if (name == null || !TOPIC_NAME.matcher(name).matches()) {
            if (name != null && name.endsWith(".fifo")) {
                throw new UnsupportedOperationException("FIFO topics are not supported by the in-memory SNS");
            }
            throw SnsErrors.invalidParameter("Invalid parameter: Topic Name");
        }
        String arn = account.arn("sns", name);
        topicArns.add(arn);
        return arn;
    }

    /** Every message accepted so far, oldest first. */
    public synchronized List<PublishedMessage> outbox() {
        return List.copyOf(outbox);
    }

    /** The messages accepted for one topic, oldest first. */
    public synchronized List<PublishedMessage> outbox(String topicArn) {
        return outbox.stream().filter(m -> m.topicArn().equals(topicArn)).toList();
    }

    /** Plans failures of this service's operations, named as in the SNS API (e.g. {@code Publish}). */
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public synchronized CreateTopicResponse createTopic(CreateTopicRequest request) {
        faults.enter("CreateTopic");
        if (request.hasAttributes() || request.hasTags() || request.dataProtectionPolicy() != null) {
            throw new UnsupportedOperationException(
                    "topic attributes, tags and data protection policies are not supported by the in-memory SNS");
        }
        return CreateTopicResponse.builder().topicArn(addTopic(request.name())).build();
    }

    @Override
    public synchronized PublishResponse publish(PublishRequest request) {
        faults.enter("Publish");
        PublishRules.check(request);
        if (!TOPIC_ARN.matcher(request.topicArn()).matches()) {
            throw SnsErrors.invalidParameter("Invalid parameter: TopicArn");
        }
        if (!topicArns.contains(request.topicArn())) {
            throw SnsErrors.topicNotFound();
        }
        PublishedMessage message = new PublishedMessage(UUID.randomUUID().toString(), request.topicArn(),
                request.subject(), request.message(), request.messageAttributes(), clock.instant());
        if (journal != null) {
            journal.append(message);
        }
        outbox.add(message);
        return PublishResponse.builder().messageId(message.messageId()).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the state lives as long as the object and the journal is not kept open.
    }
}
