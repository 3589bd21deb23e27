package dev.rollout.domain;

import java.util.regex.Pattern;

/**
 * The links in an approval e-mail: {@code {base}/approvals/{reference}}, with {@code ?action=approve} or
 * {@code ?action=reject} saying which button the page puts first; and the control links in a "started" notice,
 * {@code {base}/controls/{reference}?action=abort|promote}. Opening a link decides nothing; the page's form does.
 *
 * @param baseUrl the approval API's URL, stage included, e.g. {@code https://abc.execute-api.eu-west-1.amazonaws.com/v1}
 */
public record ApprovalLinks(String baseUrl) {
    private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");

    public ApprovalLinks {
        if (baseUrl == null || !HTTP_URL.matcher(baseUrl).matches()) {
            throw new IllegalArgumentException("the approval URL must be an http(s) URL without query or fragment,"
                    + " such as https://abc123.execute-api.eu-west-1.amazonaws.com/v1, got " + baseUrl);
        }
        baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String page(Reference reference) {
        return baseUrl + "/approvals/" + reference.value();
    }

    public String approve(Reference reference) {
        return page(reference) + "?action=approve";
    }

    public String reject(Reference reference) {
        return page(reference) + "?action=reject";
    }

    /** The page of a rollout's controls (abort, promote now), linked from its "started" notice. */
    public String controls(Reference reference) {
        return baseUrl + "/controls/" + reference.value();
    }

    /** A control link: {@code ?action=abort} or {@code ?action=promote} says which button the page puts first. */
    public String control(Reference reference, Control.Kind kind) {
        return controls(reference) + "?action=" + kind.wireName();
    }
}
