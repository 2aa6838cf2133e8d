import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { formatInteger } from "@web/views/fields/formatters";

/** Rolling periods, as cc.dashboard counts them: "today" is the last 24 hours. */
export const PERIODS = [
    { key: "today", days: 1, label: _t("Today"), caption: _t("Last 24 hours vs the 24 hours before") },
    { key: "7d", days: 7, label: _t("7 days"), caption: _t("Last 7 days vs the 7 days before") },
    { key: "30d", days: 30, label: _t("30 days"), caption: _t("Last 30 days vs the 30 days before") },
];

/**
 * The KPI cards, in display order.
 *
 * - kind: how the value is shown (count, rate, duration, nps, amount);
 * - better: "up" or "down" when a rise is good or bad news, null when it is neither;
 * - snapshot: the figure is a stock now, not a flow over the period (no comparison).
 */
export const CARDS = [
    {
        key: "offered",
        label: _t("Offered"),
        icon: "fa-inbox",
        kind: "count",
        better: null,
        help: _t("Inbound contacts with an outcome: handled plus abandoned (short abandons excluded)."),
    },
    {
        key: "handled",
        label: _t("Handled"),
        icon: "fa-headphones",
        kind: "count",
        better: "up",
        help: _t("Inbound contacts an agent answered."),
    },
    {
        key: "abandon_rate",
        label: _t("Abandonment"),
        icon: "fa-sign-out",
        kind: "rate",
        better: "down",
        help: _t("Abandoned contacts out of the offered ones."),
    },
    {
        key: "service_level",
        label: _t("Service level"),
        icon: "fa-tachometer",
        kind: "rate",
        better: "up",
        help: _t("Share of contacts answered within the service-level threshold."),
    },
    {
        key: "aht",
        label: _t("Avg. handle time"),
        icon: "fa-hourglass-half",
        kind: "duration",
        better: "down",
        help: _t("Talk, hold and after-contact work per handled contact."),
    },
    {
        key: "asa",
        label: _t("Avg. speed of answer"),
        icon: "fa-clock-o",
        kind: "duration",
        better: "down",
        help: _t("Mean wait of the handled contacts before an agent answered."),
    },
    {
        key: "fcr",
        label: _t("First contact resolution"),
        icon: "fa-bullseye",
        kind: "rate",
        better: "up",
        help: _t("Resolved tickets whose customer did not contact us again within the FCR window."),
    },
    {
        key: "csat",
        label: _t("CSAT"),
        icon: "fa-smile-o",
        kind: "rate",
        better: "up",
        help: _t("Satisfied answers (4 and 5 out of 5) out of the CSAT answers."),
    },
    {
        key: "nps",
        label: _t("NPS"),
        icon: "fa-bullhorn",
        kind: "nps",
        better: "up",
        help: _t("Promoters minus detractors, from -100 to +100."),
    },
    {
        key: "sla_compliance",
        label: _t("SLA compliance"),
        icon: "fa-shield",
        kind: "rate",
        better: "up",
        help: _t("SLA timers met on time out of those that ended or breached."),
    },
    {
        key: "backlog",
        label: _t("Backlog"),
        icon: "fa-ticket",
        kind: "count",
        better: "down",
        snapshot: true,
        help: _t("Tickets open now."),
    },
    {
        key: "upsell_revenue",
        label: _t("Upsell revenue"),
        icon: "fa-line-chart",
        kind: "amount",
        better: "up",
        help: _t("Revenue of the opportunities won from upsell prompts."),
    },
];

export const PRESENCE_CLASSES = {
    available: "success",
    busy: "danger",
    away: "warning",
    offline: "secondary",
};

export function isEmpty(value) {
    return value === null || value === undefined || value === false;
}

/** 75 -> "1:15", 3900 -> "1h 05m", 93600 -> "1d 2h". */
export function formatDuration(seconds) {
    if (isEmpty(seconds)) {
        return "—";
    }
    const total = Math.round(Math.abs(seconds));
    const sign = seconds < 0 ? "-" : "";
    if (total < 3600) {
        return `${sign}${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
    }
    if (total < 86400) {
        const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
        return `${sign}${Math.floor(total / 3600)}h ${minutes}m`;
    }
    return `${sign}${Math.floor(total / 86400)}d ${Math.floor((total % 86400) / 3600)}h`;
}

/** A running clock: 75 -> "01:15", 3675 -> "1:01:15". */
export function formatClock(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const hours = Math.floor(total / 3600);
    const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
    const secs = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${minutes}:${secs}` : `${minutes}:${secs}`;
}

function formatPercent(fraction) {
    return `${formatFloat(fraction * 100, { digits: [false, 1] })}%`;
}

function formatSigned(number, formatted) {
    return number > 0 ? `+${formatted}` : formatted;
}

/** A card's value as the supervisor reads it. */
export function formatKpi(kind, value) {
    if (isEmpty(value)) {
        return "—";
    }
    switch (kind) {
        case "rate":
            return formatPercent(value);
        case "duration":
            return formatDuration(value);
        case "nps":
            return formatSigned(value, formatInteger(Math.round(value * 100)));
        case "amount":
            return formatInteger(Math.round(value));
        default:
            return formatInteger(value);
    }
}

/**
 * The change of a card against the previous period.
 *
 * @returns {{ text: string, direction: "up"|"down"|"flat", tone: "good"|"bad"|"neutral" } | null}
 *      null when either value is missing.
 */
export function computeDelta(card, value, previous) {
    if (card.snapshot || isEmpty(value) || isEmpty(previous)) {
        return null;
    }
    const diff = value - previous;
    const direction = Math.abs(diff) < 1e-9 ? "flat" : diff > 0 ? "up" : "down";
    let text;
    switch (card.kind) {
        case "rate":
            text = _t("%s pts", formatFloat(Math.abs(diff) * 100, { digits: [false, 1] }));
            break;
        case "nps":
            text = _t("%s pts", formatInteger(Math.round(Math.abs(diff) * 100)));
            break;
        case "duration":
            text = formatDuration(Math.abs(diff));
            break;
        default:
            text = previous
                ? `${formatInteger(Math.round((Math.abs(diff) / Math.abs(previous)) * 100))}%`
                : formatKpi(card.kind, Math.abs(diff));
    }
    let tone = "neutral";
    if (direction !== "flat" && card.better) {
        tone = direction === card.better ? "good" : "bad";
    }
    return { text: direction === "flat" ? _t("no change") : text, direction, tone };
}
