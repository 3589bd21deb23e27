package dev.rollout.local.report;

import dev.rollout.local.report.RolloutReport.AlarmBand;
import dev.rollout.local.report.RolloutReport.Kind;
import dev.rollout.local.report.RolloutReport.Mark;
import dev.rollout.local.report.RolloutReport.MetricSample;
import dev.rollout.local.report.RolloutReport.Timeline;
import dev.rollout.local.report.RolloutReport.WeightChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Draws a {@link RolloutReport} as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
 * Four charts share one time axis (the weight of each version, requests per minute, error % and p99 latency per
 * version); alarm states are red bands across all of them and every decision is a marker; tables follow with each
 * decision and its reason, and the numbers behind the charts.
 *
 * <p>Chart elements carry {@code data-} attributes with the values they draw, so tests can read the picture.
 */
public final class ReportPage {

    static final int WIDTH = 960;
    static final int LEFT = 70;
    static final int RIGHT = 30;
    static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int MARK_LANE = 64;
    private static final int PANEL_HEIGHT = 110;
    private static final int PANEL_GAP = 34;
    private static final String[] VERSION_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};
    private static final long[] TICK_MINUTES = {1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440};

    private final RolloutReport report;
    private final Timeline timeline;
    private final Instant start;
    private final Instant end;
    private final Map<String, String> colours = new LinkedHashMap<>();
    private final StringBuilder html = new StringBuilder();

    private ReportPage(RolloutReport report) {
        this.report = report;
        this.timeline = report.timeline();
        this.start = timeline.start();
        // The window holds every sample and band, so that what followed the last decision shows too.
        Instant last = timeline.end();
        for (MetricSample sample : report.metrics().samples()) {
            last = sample.at().isAfter(last) ? sample.at() : last;
        }
        for (AlarmBand band : report.metrics().alarmBands()) {
            last = band.to().isAfter(last) ? band.to() : last;
        }
        // A little room after the last thing drawn, so that a final weight change does not sit on the edge.
        Duration span = last.isAfter(start) ? Duration.between(start, last) : Duration.ofMinutes(1);
        this.end = start.plus(span).plus(span.dividedBy(25));
        List<String> versions = new ArrayList<>(timeline.versions());
        report.metrics().samples().stream().map(MetricSample::version).filter(v -> !versions.contains(v))
                .distinct().forEach(versions::add);
        for (int i = 0; i < versions.size(); i++) {
            colours.put(versions.get(i), VERSION_COLOURS[i % VERSION_COLOURS.length]);
        }
    }

    /** The whole page. */
    public static String render(RolloutReport report) {
        return new ReportPage(report).page();
    }

    private String page() {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Rollout ").append(text(timeline.title())).append("</title>")
                .append("<style>").append(STYLE).append(kindStyles()).append("</style></head><body>\n");
        header();
        chart();
        decisions();
        numbers();
        html.append("</body></html>\n");
        return html.toString();
    }

    private void header() {
        html.append("<h1>Rollout ").append(text(timeline.title())).append("</h1>\n<p class=\"summary\">")
                .append("<span id=\"outcome\" class=\"outcome ").append(timeline.outcome().startsWith("SUCCEEDED")
                        ? "good" : timeline.outcome().equals("RUNNING") ? "running" : "bad").append("\">")
                .append(text(timeline.outcome())).append("</span> · execution ").append(text(timeline.executionName()))
                .append(" · ").append(timeline.start()).append(" to ").append(timeline.end()).append(" (")
                .append(elapsed(timeline.length())).append(")")
                .append(report.aliasNow().isEmpty() ? "" : " · alias now: <span id=\"alias-now\">"
                        + text(report.aliasNow()) + "</span>").append("</p>\n<ul class=\"legend\">");
        for (String version : colours.keySet().stream().sorted(this::byFirstSeen).toList()) {
            html.append("<li><span class=\"swatch\" style=\"background:").append(colours.get(version))
                    .append("\"></span>version ").append(text(version)).append("</li>");
        }
        html.append("<li><span class=\"swatch alarm\"></span>alarm in ALARM</li>");
        for (Kind kind : Kind.values()) {
            if (timeline.marks().stream().anyMatch(mark -> mark.kind() == kind)) {
                html.append("<li><span class=\"dot ").append(kind.cssName()).append("\"></span>").append(kind.label())
                        .append("</li>");
            }
        }
        html.append("</ul>\n");
        if (!report.metrics().alarms().isEmpty()) {
            html.append("<ul id=\"alarms\" class=\"alarms\">");
            for (RolloutReport.AlarmRule rule : report.metrics().alarms()) {
                html.append("<li><b>").append(text(rule.name())).append("</b>: ").append(text(rule.description()))
                        .append("</li>");
            }
            html.append("</ul>\n");
        }
    }

    private int byFirstSeen(String a, String b) {
        List<String> order = timeline.versions();
        int ia = order.indexOf(a);
        int ib = order.indexOf(b);
        return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
    }

    private void chart() {
        int height = MARK_LANE + 4 * (PANEL_HEIGHT + PANEL_GAP) + 30;
        html.append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" data-start=\"").append(start).append("\" data-end=\"").append(end)
                .append("\" data-left=\"").append(LEFT).append("\" data-plot-width=\"").append(PLOT_WIDTH)
                .append("\" role=\"img\" aria-label=\"Weights, traffic, errors and latency of each version over time\">\n");
        int top = MARK_LANE;
        int bottom = top + 4 * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP;
        for (AlarmBand band : report.metrics().alarmBands()) {
            double x1 = x(band.from());
            double x2 = Math.max(x(band.to()), x1 + 2);
            html.append("<rect class=\"alarm-band\" data-alarm=\"").append(attr(band.alarm())).append("\" data-from=\"")
                    .append(band.from()).append("\" data-to=\"").append(band.to()).append("\" x=\"").append(number(x1))
                    .append("\" y=\"").append(top).append("\" width=\"").append(number(x2 - x1)).append("\" height=\"")
                    .append(bottom - top).append("\"><title>").append(text(band.alarm() + " in ALARM from "
                            + band.from() + " to " + band.to() + (band.reason().isEmpty() ? "" : ": " + band.reason())))
                    .append("</title></rect>\n");
        }
        weightPanel(top);
        List<MetricSample> samples = report.metrics().samples();
        metricPanel(top + (PANEL_HEIGHT + PANEL_GAP), "requests", "Requests per "
                + periodName(report.metrics().period()), samples,
                MetricSample::requests, "");
        metricPanel(top + 2 * (PANEL_HEIGHT + PANEL_GAP), "error-percent", "Errors (% of requests)", samples,
                MetricSample::errorPercent, "%");
        List<MetricSample> withLatency = samples.stream().filter(s -> s.p99Millis().isPresent()).toList();
        metricPanel(top + 3 * (PANEL_HEIGHT + PANEL_GAP), "p99", "p99 latency (ms)", withLatency,
                s -> s.p99Millis().orElseThrow(), " ms");
        axis(bottom);
        marks(top, bottom);
        html.append("</svg>\n");
    }

    private void weightPanel(int top) {
        panelFrame(top, "Weight (% of requests)", 100, "%");
        Map<String, StringBuilder> paths = new LinkedHashMap<>();
        Map<String, Double> previous = new HashMap<>();
        List<WeightChange> weights = timeline.weights();
        for (int i = 0; i < weights.size(); i++) {
            WeightChange change = weights.get(i);
            double x = x(change.at());
            for (String version : colours.keySet()) {
                double percent = change.percentByVersion().getOrDefault(version, 0.0);
                StringBuilder path = paths.computeIfAbsent(version, v -> new StringBuilder());
                double y = y(top, percent, 100);
                if (path.isEmpty()) {
                    path.append('M').append(number(x)).append(',').append(number(y));
                } else {
                    path.append(" H").append(number(x)).append(" V").append(number(y));
                }
                if (!Double.valueOf(percent).equals(previous.get(version))) {
                    html.append("<circle class=\"weight-step\" data-version=\"").append(attr(version))
                            .append("\" data-at=\"").append(change.at()).append("\" data-value=\"").append(number(percent))
                            .append("\" cx=\"").append(number(x)).append("\" cy=\"").append(number(y))
                            .append("\" r=\"2.5\" fill=\"").append(colours.get(version)).append("\"><title>")
                            .append(text("version " + version + " " + number(percent) + "% from " + change.at()))
                            .append("</title></circle>\n");
                }
                previous.put(version, percent);
            }
        }
        paths.forEach((version, path) -> html.append("<path class=\"weight\" data-version=\"").append(attr(version))
                .append("\" d=\"").append(path).append(" H").append(number(x(end))).append("\" stroke=\"")
                .append(colours.get(version)).append("\"/>\n"));
    }

    private void metricPanel(int top, String series, String title, List<MetricSample> samples,
                             ToDoubleFunction<MetricSample> value, String unit) {
        double max = samples.stream().mapToDouble(value).max().orElse(0);
        double scale = niceMaximum(max);
        panelFrame(top, title, scale, unit);
        if (samples.isEmpty()) {
            html.append("<text class=\"empty\" x=\"").append(LEFT + PLOT_WIDTH / 2).append("\" y=\"")
                    .append(top + PANEL_HEIGHT / 2).append("\">no data</text>\n");
            return;
        }
        Map<String, StringBuilder> paths = new LinkedHashMap<>();
        for (MetricSample sample : samples) {
            double x = x(sample.at());
            double y = y(top, value.applyAsDouble(sample), scale);
            StringBuilder path = paths.computeIfAbsent(sample.version(), v -> new StringBuilder());
            path.append(path.isEmpty() ? "M" : " L").append(number(x)).append(',').append(number(y));
            html.append("<circle class=\"sample\" data-series=\"").append(series).append("\" data-version=\"")
                    .append(attr(sample.version())).append("\" data-at=\"").append(sample.at())
                    .append("\" data-value=\"").append(number(value.applyAsDouble(sample))).append("\" cx=\"").append(number(x))
                    .append("\" cy=\"").append(number(y)).append("\" r=\"2.5\" fill=\"")
                    .append(colours.getOrDefault(sample.version(), "#777")).append("\"><title>")
                    .append(text("version " + sample.version() + " at " + sample.at() + ": "
                            + number(value.applyAsDouble(sample)) + unit + " (" + number(sample.requests()) + " requests, "
                            + number(sample.errors()) + " errors)")).append("</title></circle>\n");
        }
        paths.forEach((version, path) -> html.append("<path class=\"series\" data-series=\"").append(series)
                .append("\" data-version=\"").append(attr(version)).append("\" d=\"").append(path)
                .append("\" stroke=\"").append(colours.getOrDefault(version, "#777")).append("\"/>\n"));
    }

    private void panelFrame(int top, String title, double max, String unit) {
        html.append("<text class=\"panel-title\" x=\"").append(LEFT).append("\" y=\"").append(top - 8).append("\">")
                .append(text(title)).append("</text>\n<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"")
                .append(top).append("\" width=\"").append(PLOT_WIDTH).append("\" height=\"").append(PANEL_HEIGHT)
                .append("\"/>\n");
        for (double fraction : new double[] {0, 0.5, 1}) {
            double y = y(top, max * fraction, max);
            html.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
                    .append("\" y1=\"").append(number(y)).append("\" y2=\"").append(number(y)).append("\"/><text class=\"tick\" x=\"")
                    .append(LEFT - 6).append("\" y=\"").append(number(y + 4)).append("\" text-anchor=\"end\">")
                    .append(number(max * fraction)).append(text(unit.trim().equals("%") ? "%" : "")).append("</text>\n");
        }
    }

    /** "minute", or "5 minutes", "2 hours", ...: what one sample of a long rollout's chart covers. */
    private static String periodName(Duration period) {
        long minutes = period.toMinutes();
        if (minutes <= 1) {
            return "minute";
        }
        return minutes % 60 == 0 ? minutes / 60 + (minutes == 60 ? " hour" : " hours") : minutes + " minutes";
    }

    private void axis(int bottom) {
        long totalMinutes = Math.max(1, Duration.between(start, end).toMinutes());
        long step = TICK_MINUTES[TICK_MINUTES.length - 1];
        for (long candidate : TICK_MINUTES) {
            if (totalMinutes / candidate <= 10) {
                step = candidate;
                break;
            }
        }
        for (long minute = 0; !start.plus(Duration.ofMinutes(minute)).isAfter(end); minute += step) {
            Instant at = start.plus(Duration.ofMinutes(minute));
            double x = x(at);
            html.append("<line class=\"grid\" x1=\"").append(number(x)).append("\" x2=\"").append(number(x)).append("\" y1=\"")
                    .append(MARK_LANE).append("\" y2=\"").append(bottom).append("\"/><text class=\"time-tick\" data-at=\"")
                    .append(at).append("\" x=\"").append(number(x)).append("\" y=\"").append(bottom + 16)
                    .append("\" text-anchor=\"middle\">").append(elapsed(Duration.ofMinutes(minute))).append("</text>\n");
        }
    }

    /**
     * A line per decision across every chart (the later one on top) and a symbol in the lane above; symbols of
     * decisions at one time stack.
     */
    private void marks(int top, int bottom) {
        Map<Instant, Integer> stacked = new HashMap<>();
        for (Mark mark : timeline.marks()) {
            double x = x(mark.at());
            int level = stacked.merge(mark.at(), 1, Integer::sum) - 1;
            double symbolY = top - 26 - (level % 4) * 9;
            html.append("<g class=\"mark ").append(mark.kind().cssName()).append("\" data-kind=\"")
                    .append(mark.kind().cssName()).append("\" data-state=\"").append(attr(mark.state()))
                    .append("\" data-at=\"").append(mark.at()).append("\" data-x=\"").append(number(x)).append("\"><title>")
                    .append(text(elapsed(Duration.between(start, mark.at())) + " " + mark.kind().label() + " ("
                            + mark.state() + "): " + mark.what() + (mark.reason().isEmpty() ? "" : " | "
                            + mark.reason()))).append("</title>");
            html.append("<line x1=\"").append(number(x)).append("\" x2=\"").append(number(x)).append("\" y1=\"").append(top)
                    .append("\" y2=\"").append(bottom).append("\"/>");
            html.append("<circle cx=\"").append(number(x)).append("\" cy=\"").append(number(symbolY)).append("\" r=\"4\"/></g>\n");
        }
    }

    private void decisions() {
        html.append("<h2>Decisions</h2>\n<table id=\"decisions\"><thead><tr><th>When</th><th>Time (UTC)</th>")
                .append("<th>Decision</th><th>State</th><th>What</th><th>Reason</th></tr></thead><tbody>\n");
        for (Mark mark : timeline.marks()) {
            html.append("<tr class=\"").append(mark.kind().cssName()).append("\"><td>")
                    .append(elapsed(Duration.between(start, mark.at()))).append("</td><td>").append(mark.at())
                    .append("</td><td><span class=\"dot ").append(mark.kind().cssName()).append("\"></span>")
                    .append(text(mark.kind().label())).append("</td><td>").append(text(mark.state())).append("</td><td>")
                    .append(text(mark.what())).append("</td><td>").append(text(mark.reason())).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private void numbers() {
        html.append("<h2>Per version and minute</h2>\n<table id=\"metrics\"><thead><tr><th>Time (UTC)</th>")
                .append("<th>Version</th><th>Requests</th><th>Errors</th><th>Error %</th><th>p99 (ms)</th></tr></thead><tbody>\n");
        for (MetricSample sample : report.metrics().samples()) {
            OptionalDouble p99 = sample.p99Millis();
            html.append("<tr><td>").append(sample.at()).append("</td><td>").append(text(sample.version()))
                    .append("</td><td>").append(number(sample.requests())).append("</td><td>").append(number(sample.errors()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", sample.errorPercent()))
                    .append("</td><td>").append(p99.isPresent() ? number(p99.getAsDouble()) : "-").append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    double x(Instant at) {
        double span = Duration.between(start, end).toMillis();
        return LEFT + Duration.between(start, at).toMillis() / span * PLOT_WIDTH;
    }

    private static double y(int top, double value, double max) {
        return top + PANEL_HEIGHT - (max <= 0 ? 0 : value / max * PANEL_HEIGHT);
    }

    /** The smallest of 1, 2 or 5 times a power of ten that holds {@code max}; 1 for nothing. */
    static double niceMaximum(double max) {
        if (max <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= max) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** {@code +HH:MM:SS} since the start. */
    public static String elapsed(Duration duration) {
        return String.format(Locale.ROOT, "+%02d:%02d:%02d", duration.toHours(), duration.toMinutesPart(),
                duration.toSecondsPart());
    }

    /** Numbers without needless decimals, never in a locale's format. */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String text(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String attr(String value) {
        return text(value).replace("\"", "&quot;");
    }

    /** Each kind of decision's colour, for its marker in the chart and its dot in the legend and the table. */
    private static final Map<Kind, String> KIND_COLOURS = Map.ofEntries(Map.entry(Kind.STARTED, "#455a64"),
            Map.entry(Kind.SHIFT, "#607d8b"), Map.entry(Kind.HEALTHY, "#2e7d32"), Map.entry(Kind.UNHEALTHY, "#c62828"),
            Map.entry(Kind.APPROVAL_REQUESTED, "#f9a825"), Map.entry(Kind.APPROVED, "#1565c0"),
            Map.entry(Kind.REJECTED, "#6a1b9a"), Map.entry(Kind.APPROVAL_TIMED_OUT, "#6a1b9a"),
            Map.entry(Kind.ABORTED, "#6a1b9a"), Map.entry(Kind.PROMOTED_NOW, "#1565c0"),
            Map.entry(Kind.HOOK, "#00838f"),
            Map.entry(Kind.PROMOTED, "#1a7f37"), Map.entry(Kind.ROLLED_BACK, "#b71c1c"),
            Map.entry(Kind.FAILED, "#e65100"), Map.entry(Kind.OTHER, "#9e9e9e"));

    private static String kindStyles() {
        StringBuilder css = new StringBuilder();
        for (Kind kind : Kind.values()) {
            String name = kind.cssName();
            css.append('.').append(name).append(" circle{fill:").append(KIND_COLOURS.get(kind)).append("}.dot.")
                    .append(name).append("{background:").append(KIND_COLOURS.get(kind)).append("}\n");
        }
        return css.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
            .outcome{font-weight:600}.outcome.good{color:#1a7f37}.outcome.bad{color:#c62828}.outcome.running{color:#8a6d00}
            .legend,.alarms{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:16px}
            .alarms{display:block}.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
            .swatch.alarm{background:rgba(220,40,40,.18);border:1px solid rgba(220,40,40,.5)}
            svg{display:block;max-width:100%;height:auto}
            .frame{fill:none;stroke:#bbb}.grid{stroke:#eee}.tick,.time-tick{font-size:11px;fill:#666}
            .panel-title{font-size:12px;font-weight:600;fill:#333}.empty{font-size:12px;fill:#999;text-anchor:middle}
            .weight,.series{fill:none;stroke-width:2}.alarm-band{fill:rgba(220,40,40,.14)}
            .mark line{stroke:#555;stroke-dasharray:3 3;stroke-width:1}.mark circle{stroke:#fff;stroke-width:1}
            .mark.rolled-back line,.mark.promoted line{stroke-dasharray:none;stroke-width:2}
            .mark.rolled-back line{stroke:#b71c1c}.mark.promoted line{stroke:#1a7f37}
            .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
            table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #e5e5e5;padding:4px 8px;text-align:left;vertical-align:top}
            #decisions td:nth-child(-n+3){white-space:nowrap}
            th{background:#fafafa}#metrics td:nth-child(n+3){text-align:right}
            """;
}
