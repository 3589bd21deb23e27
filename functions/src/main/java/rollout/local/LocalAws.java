package rollout.local;

import java.nio.file.Path;
import java.time.Instant;
import rollout.local.aws.AwsAccount;
import rollout.local.aws.InMemoryCloudWatch;
import rollout.local.aws.InMemoryLambda;
import rollout.local.aws.InMemorySns;
import rollout.local.time.VirtualClock;

/**
 * One embedded AWS account on one virtual clock: the services the rollout handlers talk to.
 *
 * @param topicArn the topic rollout notices go to, as the template's {@code RolloutTopic}
 */
public record LocalAws(VirtualClock clock, AwsAccount account, InMemoryLambda lambda, InMemoryCloudWatch cloudWatch,
                       InMemorySns sns, String topicArn) {

    /** A fresh account; with a journal path, every published message is also appended there. */
    public static LocalAws create(VirtualClock clock, Path outboxJournal) {
        AwsAccount account = AwsAccount.DEFAULT;
        InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock, account);
        InMemoryLambda lambda = new InMemoryLambda(clock, cloudWatch, account);
        InMemorySns sns = outboxJournal == null ? new InMemorySns(clock) : new InMemorySns(clock, account, outboxJournal);
        String topic = sns.addTopic("rollout-notifications");
        return new LocalAws(clock, account, lambda, cloudWatch, sns, topic);
    }

    public static LocalAws create(Instant start) {
        return create(new VirtualClock(start), null);
    }
}
