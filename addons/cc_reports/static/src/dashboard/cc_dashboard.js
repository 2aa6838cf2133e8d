import { _t } from "@web/core/l10n/translation";
import { cookie } from "@web/core/browser/cookie";
import { getColor, getCustomColor, hexToRGBA } from "@web/core/colors/colors";
import { serializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { Component, markRaw, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";

import { CcDashboardChart } from "./cc_dashboard_chart";
import {
    CARDS,
    PERIODS,
    PRESENCE_CLASSES,
    computeDelta,
    formatKpi,
    isEmpty,
} from "./cc_dashboard_format";
import { CcWaitClock } from "./cc_wait_clock";

const { DateTime } = luxon;

export const BUS_CHANNEL = "cc_dashboard";
export const BUS_NOTIFICATION = "cc_dashboard/refresh";
/** Changes come in bursts (a contact is created, routed, answered): refetch once they settle. */
const BUS_DEBOUNCE_MS = 1000;
/** On a change, the cards and charts are read again too, but not more than once a minute. */
const FULL_REFRESH_MS = 60000;

const LIST_FORM = [
    [false, "list"],
    [false, "form"],
];

/**
 * The supervisor dashboard: KPI cards of a period against the previous one, volume and service-level
 * charts, and the floor now (waiting contacts, SLA timers at risk or breached, agents' presence and load),
 * kept up to date through the bus. Every figure opens the records behind it.
 */
export class CcDashboard extends Component {
    static template = "cc_reports.Dashboard";
    static components = { Layout, CcDashboardChart, CcWaitClock };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.busService = useService("bus_service");
        this.fieldService = useService("field");
        this.periods = PERIODS;
        this.loadKeeper = new KeepLast();
        this.liveKeeper = new KeepLast();
        this.lastFullLoad = 0;
        this.presenceLabels = {};
        this.access = { manager: false, supervisor: false, salesman: false };
        this.state = useState({
            period: this.props.state?.period || "7d",
            data: null,
            charts: null,
            live: null,
            liveAt: Date.now(),
            loading: false,
        });

        useSetupAction({ getLocalState: () => ({ period: this.state.period }) });

        this.scheduleRefresh = useDebounced(this.refreshFromBus, BUS_DEBOUNCE_MS);
        this.onBusRefresh = () => this.scheduleRefresh();

        onWillStart(() => Promise.all([this.load(), this.loadPresenceLabels(), this.loadAccess()]));
        onMounted(() => {
            this.busService.subscribe(BUS_NOTIFICATION, this.onBusRefresh);
            this.busService.addChannel(BUS_CHANNEL);
        });
        onWillUnmount(() => {
            this.busService.unsubscribe(BUS_NOTIFICATION, this.onBusRefresh);
            this.busService.deleteChannel(BUS_CHANNEL);
        });
    }

    // --- data ----------------------------------------------------------------------------------------

    async load({ silent = false } = {}) {
        const orm = silent ? this.orm.silent : this.orm;
        this.state.loading = !silent;
        try {
            const data = await this.loadKeeper.add(
                orm.call("cc.dashboard", "dashboard_data", [this.state.period])
            );
            this.lastFullLoad = Date.now();
            this.loadedAt = DateTime.now();
            this.state.data = data;
            this.state.charts = markRaw(this.buildCharts(data));
            this.setLive(data.live);
        } finally {
            this.state.loading = false;
        }
    }

    async refreshLive() {
        this.setLive(await this.liveKeeper.add(this.orm.silent.call("cc.dashboard", "live_data", [])));
    }

    refreshFromBus() {
        if (Date.now() - this.lastFullLoad > FULL_REFRESH_MS) {
            return this.load({ silent: true });
        }
        return this.refreshLive();
    }

    setLive(live) {
        this.state.live = live;
        this.state.liveAt = Date.now();
    }

    async loadPresenceLabels() {
        const fields = await this.fieldService.loadFields("cc.agent", {
            fieldNames: ["presence"],
            attributes: ["selection"],
        });
        this.presenceLabels = Object.fromEntries(fields.presence?.selection || []);
    }

    async loadAccess() {
        const [manager, supervisor, salesman] = await Promise.all([
            user.hasGroup("cc_omnichannel.group_cc_manager"),
            user.hasGroup("cc_omnichannel.group_cc_supervisor"),
            user.hasGroup("sales_team.group_sale_salesman"),
        ]);
        this.access = { manager, supervisor, salesman };
    }

    async selectPeriod(period) {
        if (period !== this.state.period) {
            this.state.period = period;
            await this.load();
        }
    }

    // --- what the template shows ---------------------------------------------------------------------

    get currentPeriod() {
        return PERIODS.find((period) => period.key === this.state.period) || PERIODS[1];
    }

    get cards() {
        const values = this.state.data?.cards || {};
        const target = this.state.data?.service_level_target;
        return CARDS.map((card) => {
            const { value, previous } = values[card.key] || {};
            let valueClass = "";
            if (card.key === "service_level" && !isEmpty(value) && !isEmpty(target)) {
                valueClass = value >= target ? "text-success" : "text-danger";
            }
            return {
                ...card,
                value: formatKpi(card.kind, value),
                previous: formatKpi(card.kind, previous),
                hasValue: !isEmpty(value),
                delta: computeDelta(card, value, previous),
                valueClass,
                // The won revenue and the opportunities behind it are the salespeople's.
                clickable: card.key !== "upsell_revenue" || this.access.salesman,
                note:
                    card.key === "service_level" && !isEmpty(target)
                        ? _t("target %s", formatKpi("rate", target))
                        : "",
            };
        });
    }

    get agents() {
        return (this.state.live?.agents || []).map((agent) => {
            const ratio = agent.capacity > 0 ? agent.load / agent.capacity : agent.load ? 1 : 0;
            return {
                ...agent,
                presenceLabel: this.presenceLabels[agent.presence] || agent.presence,
                presenceClass: PRESENCE_CLASSES[agent.presence] || "secondary",
                loadPercent: Math.round(Math.min(ratio, 1) * 100),
                loadClass: ratio >= 1 ? "bg-danger" : ratio >= 0.8 ? "bg-warning" : "bg-success",
                initials: (agent.name || "?")
                    .split(/\s+/)
                    .map((word) => word[0])
                    .slice(0, 2)
                    .join("")
                    .toUpperCase(),
            };
        });
    }

    get presenceSummary() {
        const counts = {};
        for (const agent of this.state.live?.agents || []) {
            counts[agent.presence] = (counts[agent.presence] || 0) + 1;
        }
        return Object.keys(PRESENCE_CLASSES)
            .filter((presence) => counts[presence])
            .map((presence) => ({
                presence,
                count: counts[presence],
                label: this.presenceLabels[presence] || presence,
                className: PRESENCE_CLASSES[presence],
            }));
    }

    // --- charts --------------------------------------------------------------------------------------

    /** One row per day of the period, days without contacts included. */
    trendRows(data) {
        const byDay = new Map(data.trend.map((row) => [row.day, row]));
        const last = this.loadedAt.startOf("day");
        for (let day = this.periodStart().startOf("day"); day <= last; day = day.plus({ days: 1 })) {
            const key = day.toISODate();
            if (!byDay.has(key)) {
                byDay.set(key, { day: key, offered: 0, handled: 0, service_level: null });
            }
        }
        return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
    }

    buildCharts(data) {
        const rows = this.trendRows(data);
        const colorScheme = cookie.get("color_scheme");
        const gridColor = getCustomColor(colorScheme, "#e7e9ed", "#3C3E4B");
        const labelColor = getCustomColor(colorScheme, "#6c757d", "#C9CCD2");
        const handledColor = getColor(3, colorScheme, "odoo");
        const abandonedColor = "#EA6175";
        const levelColor = getColor(1, colorScheme, "odoo");
        const targetColor = "#F4A261";
        const labelFormat = rows.length > 8 ? "d MMM" : "ccc d";
        const labels = rows.map((row) => DateTime.fromISO(row.day).toFormat(labelFormat));
        const offered = rows.map((row) => row.offered || 0);
        const legend = {
            position: "bottom",
            labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, color: labelColor },
        };
        const xScale = {
            grid: { display: false },
            ticks: { color: labelColor, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 },
        };
        const pointer = (event, elements) => {
            event.native.target.style.cursor = elements.length ? "pointer" : "default";
        };
        const volume = {
            type: "bar",
            data: {
                labels,
                datasets: [
                    {
                        label: _t("Handled"),
                        data: rows.map((row) => row.handled || 0),
                        backgroundColor: handledColor,
                        borderRadius: 3,
                        maxBarThickness: 36,
                    },
                    {
                        label: _t("Abandoned"),
                        data: rows.map((row) => Math.max((row.offered || 0) - (row.handled || 0), 0)),
                        backgroundColor: hexToRGBA(abandonedColor, 0.85),
                        borderRadius: 3,
                        maxBarThickness: 36,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: { duration: 300 },
                interaction: { mode: "index", intersect: false },
                scales: {
                    x: { ...xScale, stacked: true },
                    y: {
                        stacked: true,
                        beginAtZero: true,
                        border: { display: false },
                        grid: { color: gridColor },
                        ticks: { precision: 0, color: labelColor },
                    },
                },
                plugins: {
                    legend,
                    tooltip: {
                        callbacks: {
                            footer: (items) => _t("Offered: %s", offered[items[0].dataIndex]),
                        },
                    },
                },
                onHover: pointer,
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.openDay(rows[elements[0].index].day);
                    }
                },
            },
        };
        const target = isEmpty(data.service_level_target) ? null : data.service_level_target * 100;
        const serviceLevel = {
            type: "line",
            data: {
                labels,
                datasets: [
                    {
                        label: _t("Service level"),
                        data: rows.map((row) => (isEmpty(row.service_level) ? null : row.service_level * 100)),
                        borderColor: levelColor,
                        backgroundColor: hexToRGBA(levelColor, 0.12),
                        fill: "origin",
                        tension: 0.3,
                        cubicInterpolationMode: "monotone",
                        spanGaps: true,
                        pointRadius: 3,
                        pointHoverRadius: 5,
                        pointBackgroundColor: levelColor,
                    },
                    ...(target === null
                        ? []
                        : [
                              {
                                  label: _t("Target %s", formatKpi("rate", data.service_level_target)),
                                  data: rows.map(() => target),
                                  borderColor: targetColor,
                                  borderDash: [6, 4],
                                  borderWidth: 2,
                                  pointRadius: 0,
                                  pointHoverRadius: 0,
                                  fill: false,
                              },
                          ]),
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: { duration: 300 },
                interaction: { mode: "index", intersect: false },
                scales: {
                    x: xScale,
                    y: {
                        min: 0,
                        max: 100,
                        border: { display: false },
                        grid: { color: gridColor },
                        ticks: { stepSize: 20, color: labelColor, callback: (value) => `${value}%` },
                    },
                },
                plugins: {
                    legend,
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                item.datasetIndex
                                    ? item.dataset.label
                                    : `${item.dataset.label}: ${formatKpi("rate", item.raw / 100)}`,
                        },
                    },
                },
                onHover: pointer,
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.openServiceLevelDay(rows[elements[0].index].day);
                    }
                },
            },
        };
        return { volume, serviceLevel };
    }

    // --- drill-down ----------------------------------------------------------------------------------

    periodStart() {
        const { date_from } = this.state.data || {};
        if (date_from) {
            return DateTime.fromSQL(date_from, { zone: "utc" }).setZone("default");
        }
        return this.loadedAt.minus({ days: this.currentPeriod.days });
    }

    /** The period the figures were computed on, as UTC strings for domains. */
    periodBounds() {
        const { date_to } = this.state.data || {};
        return {
            start: serializeDateTime(this.periodStart()),
            end: date_to || serializeDateTime(this.loadedAt),
        };
    }

    /**
     * What the period's figures count for the user's role, as cc.kpi scopes them: everything for a
     * manager, their teams' work for a supervisor, their own for an agent. `path` leads from the
     * records listed to the field holding the team and the agent (e.g. "ticket_id." for SLA timers).
     */
    scope(path = "") {
        if (this.access.manager) {
            return [];
        }
        if (this.access.supervisor) {
            return [[`${path}team_id.user_ids`, "in", [user.userId]]];
        }
        return [[`${path}user_id`, "=", user.userId]];
    }

    openRecords({ name, resModel, domain, views = LIST_FORM, context = {} }) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: resModel,
            views,
            domain,
            context,
            target: "current",
        });
    }

    openInteractions(name, domain) {
        return this.openRecords({
            name,
            resModel: "cc.interaction",
            domain: [["direction", "=", "inbound"], ...domain],
        });
    }

    openPeriodInteractions(name, domain) {
        return this.openInteractions(name, [...this.scope(), ...domain]);
    }

    openContactFacts(name, domain, measures) {
        const { start, end } = this.periodBounds();
        return this.openRecords({
            name,
            resModel: "cc.kpi.contact",
            views: [
                [false, "pivot"],
                [false, "graph"],
                [false, "list"],
            ],
            domain: [["date", ">=", start], ["date", "<", end], ...this.scope(), ...domain],
            context: {
                pivot_measures: measures,
                pivot_row_groupby: [this.state.period === "30d" ? "date:week" : "date:day"],
                pivot_column_groupby: [],
            },
        });
    }

    openCard(key) {
        const { start, end } = this.periodBounds();
        const received = [
            ["received_at", ">=", start],
            ["received_at", "<", end],
        ];
        const name = CARDS.find((card) => card.key === key).label;
        switch (key) {
            case "offered":
                return this.openPeriodInteractions(name, [...received, ["state", "in", ["done", "missed"]]]);
            case "handled":
                return this.openPeriodInteractions(name, [...received, ["state", "=", "done"]]);
            case "abandon_rate":
                return this.openPeriodInteractions(_t("Abandoned"), [...received, ["state", "=", "missed"]]);
            case "service_level":
                return this.openContactFacts(name, [], ["handled", "abandoned", "answered_within"]);
            case "aht":
                return this.openContactFacts(name, [["handled", "=", 1]], ["handled", "handle_seconds"]);
            case "asa":
                return this.openContactFacts(name, [["handled", "=", 1]], [
                    "answered_with_wait",
                    "wait_seconds",
                ]);
            case "fcr":
                return this.openRecords({
                    name: _t("Resolved tickets"),
                    resModel: "helpdesk.ticket",
                    domain: [
                        ...this.scope(),
                        ["partner_id", "!=", false],
                        ["closed_date", ">=", start],
                        ["closed_date", "<", end],
                    ],
                });
            case "backlog":
                return this.openRecords({
                    name: _t("Open tickets"),
                    resModel: "helpdesk.ticket",
                    domain: [...this.scope(), ["stage_id.closed", "=", false]],
                });
            case "csat":
            case "nps":
                return this.openRecords({
                    name,
                    resModel: "cc.survey",
                    domain: [
                        ...this.scope("ticket_id."),
                        ["kind", "=", key],
                        ["state", "=", "answered"],
                        ["answered_at", ">=", start],
                        ["answered_at", "<", end],
                    ],
                });
            case "sla_compliance":
                return this.openRecords({
                    name: _t("SLA timers"),
                    resModel: "cc.sla.timer",
                    domain: [
                        ...this.scope("ticket_id."),
                        ["state", "in", ["met", "met_late", "breached"]],
                        "|",
                        "&",
                        ["reached_at", ">=", start],
                        ["reached_at", "<", end],
                        "&",
                        ["reached_at", "=", false],
                        "&",
                        ["deadline", ">=", start],
                        ["deadline", "<", end],
                    ],
                });
            case "upsell_revenue":
                return this.openRecords({
                    name: _t("Won upsells"),
                    resModel: "cc.upsell.flag",
                    domain: [
                        ...this.scope("ticket_id."),
                        ["state", "=", "won"],
                        ["lead_id.date_closed", ">=", start],
                        ["lead_id.date_closed", "<", end],
                    ],
                });
        }
    }

    dayBounds(day) {
        const start = DateTime.fromISO(day).startOf("day");
        return [serializeDateTime(start), serializeDateTime(start.plus({ days: 1 }))];
    }

    openDay(day) {
        const [start, end] = this.dayBounds(day);
        return this.openPeriodInteractions(_t("Contacts of %s", DateTime.fromISO(day).toLocaleString()), [
            ["received_at", ">=", start],
            ["received_at", "<", end],
            ["state", "in", ["done", "missed"]],
        ]);
    }

    openServiceLevelDay(day) {
        const [start, end] = this.dayBounds(day);
        return this.openRecords({
            name: _t("Service level of %s", DateTime.fromISO(day).toLocaleString()),
            resModel: "cc.kpi.contact",
            views: [
                [false, "list"],
                [false, "pivot"],
            ],
            domain: [...this.scope(), ["date", ">=", start], ["date", "<", end]],
        });
    }

    openWaiting() {
        return this.openInteractions(_t("Waiting contacts"), [["state", "in", ["new", "queued"]]]);
    }

    openTimers(state) {
        return this.openRecords({
            name: state === "breached" ? _t("Breached SLA timers") : _t("SLA timers at risk"),
            resModel: "cc.sla.timer",
            domain: [["state", "=", state]],
        });
    }

    openAgents() {
        return this.actionService.doAction("cc_omnichannel.action_cc_agent");
    }

    openAgent(agentId) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "cc.agent",
            res_id: agentId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    onKeydown(ev, open) {
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            open();
        }
    }
}

registry.category("actions").add("cc_reports.dashboard", CcDashboard);
