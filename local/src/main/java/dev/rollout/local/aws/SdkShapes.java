package dev.rollout.local.aws;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Copies SDK model objects into other shapes with the same members, as the service does when several operations
 * return the same structure (GetFunctionConfiguration, PublishVersion and FunctionConfiguration, for instance).
 */
final class SdkShapes {

    private SdkShapes() {
    }

    /** Sets every member of {@code target} that {@code source} also has, by member name; returns {@code target}. */
    static <B extends SdkPojo> B copy(SdkPojo source, B target) {
        Map<String, SdkField<?>> targetFields = target.sdkFields().stream()
                .collect(Collectors.toMap(SdkField::memberName, Function.identity()));
        for (SdkField<?> field : source.sdkFields()) {
            SdkField<?> targetField = targetFields.get(field.memberName());
            if (targetField != null) {
                targetField.set(target, field.getValueOrDefault(source));
            }
        }
        return target;
    }
}
