import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, onWillStart, useEffect, useRef, useState } from "@odoo/owl";

const { DateTime } = luxon;

export const CHANNEL_ICONS = {
    voice: "fa-phone",
    sms: "fa-commenting",
    whatsapp: "fa-whatsapp",
    email: "fa-envelope",
    livechat: "fa-comments",
    facebook: "fa-facebook",
    instagram: "fa-instagram",
    telegram: "fa-telegram",
    webform: "fa-wpforms",
};

export const KIND_ICONS = {
    interaction: "fa-exchange",
    ticket: "fa-life-ring",
    lead: "fa-handshake-o",
    message: "fa-comment-o",
    upsell: "fa-lightbulb-o",
    sla: "fa-clock-o",
    survey: "fa-star",
};

/**
 * A customer's unified timeline: contacts on every channel, tickets, deals, messages and prompts,
 * newest first, one page at a time (keyset cursor), filtered by channel, kind and text.
 *
 * On a res.partner form it shows the partner itself; elsewhere the record's `partner_field`
 * (default: partner_id).
 */
export class CcTimeline extends Component {
    static template = "cc_omnichannel.CcTimeline";
    static props = { ...standardWidgetProps, partnerField: { type: String, optional: true } };
    static defaultProps = { partnerField: "partner_id" };
    static pageSize = 40;

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.fieldService = useService("field");
        this.sentinel = useRef("sentinel");
        this.scroller = useRef("scroller");
        this.requestId = 0;
        this.state = useState({
            partnerId: false,
            wholeCompany: false,
            channelTypes: [],
            kinds: [],
            search: "",
            items: [],
            hasMore: false,
            loading: false,
        });
        this.channelOptions = [];
        this.kindOptions = [];
        this.channelLabels = {};
        this.kindLabels = {};
        this.onSearchInput = useDebounced((ev) => {
            this.state.search = ev.target.value.trim();
            this.reload();
        }, 300);

        onWillStart(async () => {
            const fields = await this.fieldService.loadFields("cc.timeline.item", {
                fieldNames: ["channel_type", "kind"],
                attributes: ["selection"],
            });
            this.channelOptions = fields.channel_type.selection;
            this.kindOptions = fields.kind.selection;
            this.channelLabels = Object.fromEntries(this.channelOptions);
            this.kindLabels = Object.fromEntries(this.kindOptions);
        });
        useRecordObserver((record) => {
            const partnerId = this.getPartnerId(record);
            if (partnerId !== this.state.partnerId) {
                this.state.partnerId = partnerId;
                this.state.wholeCompany = record.resModel === "res.partner" && !!record.data.is_company;
                return this.reload();
            }
        });
        // Infinite scroll: load the next page whenever the sentinel below the list is visible. A new
        // observer after each page or reload also catches a sentinel that stays visible (short pages).
        useEffect(
            (hasMore) => {
                if (!hasMore || !this.sentinel.el) {
                    return;
                }
                const observer = new IntersectionObserver(
                    (entries) => {
                        if (entries.some((entry) => entry.isIntersecting)) {
                            this.loadMore();
                        }
                    },
                    { root: this.scroller.el, rootMargin: "0px 0px 200px 0px" }
                );
                observer.observe(this.sentinel.el);
                return () => observer.disconnect();
            },
            () => [this.state.hasMore, this.state.items, this.state.items.length]
        );
    }

    getPartnerId(record) {
        if (record.resModel === "res.partner") {
            return record.resId || false;
        }
        return record.data[this.props.partnerField]?.id || false;
    }

    /** Fetch the page after `before` ([date, id] of the last item shown), or the first one. */
    async fetchPage(before) {
        const requestId = ++this.requestId;
        this.state.loading = true;
        try {
            const page = await this.orm.call("cc.timeline.item", "timeline_page", [this.state.partnerId], {
                whole_company: this.state.wholeCompany,
                before,
                limit: this.constructor.pageSize,
                kinds: this.state.kinds,
                channel_types: this.state.channelTypes,
                search: this.state.search,
            });
            return requestId === this.requestId ? page : null; // a newer request superseded this one
        } finally {
            if (requestId === this.requestId) {
                this.state.loading = false;
            }
        }
    }

    async reload() {
        if (!this.state.partnerId) {
            this.requestId++;
            Object.assign(this.state, { items: [], hasMore: false, loading: false });
            return;
        }
        const page = await this.fetchPage(null);
        if (page) {
            this.state.items = page.items.map((item) => this.prepareItem(item));
            this.state.hasMore = page.has_more;
        }
    }

    async loadMore() {
        if (this.state.loading || !this.state.hasMore || !this.state.items.length) {
            return;
        }
        const last = this.state.items.at(-1);
        const page = await this.fetchPage([last.date, last.id]);
        if (page) {
            this.state.items.push(...page.items.map((item) => this.prepareItem(item)));
            this.state.hasMore = page.has_more;
        }
    }

    prepareItem(item) {
        const date = deserializeDateTime(item.date);
        const channelIcon = item.channel_type && CHANNEL_ICONS[item.channel_type];
        return {
            ...item,
            icon: (item.kind === "interaction" && channelIcon) || KIND_ICONS[item.kind] || "fa-circle-o",
            channelIcon: item.kind !== "interaction" && channelIcon,
            dateShort: date.toLocaleString(DateTime.DATETIME_MED),
            dateFull: formatDateTime(date),
            agent: item.user_id && item.user_id[1],
            contact:
                this.state.wholeCompany && item.partner_id && item.partner_id[0] !== this.state.partnerId
                    ? item.partner_id[1]
                    : "",
        };
    }

    channelIcon(channelType) {
        return CHANNEL_ICONS[channelType] || "fa-circle-o";
    }

    kindIcon(kind) {
        return KIND_ICONS[kind] || "fa-circle-o";
    }

    get directionLabels() {
        return { inbound: _t("Inbound"), outbound: _t("Outbound") };
    }

    toggleFilter(name, value) {
        const values = this.state[name];
        this.state[name] = values.includes(value)
            ? values.filter((v) => v !== value)
            : [...values, value];
        this.reload();
    }

    toggleWholeCompany() {
        this.state.wholeCompany = !this.state.wholeCompany;
        this.reload();
    }

    openItem(item) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: item.res_model,
            res_id: item.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const ccTimeline = {
    component: CcTimeline,
    extractProps: ({ options }) => (options.partner_field ? { partnerField: options.partner_field } : {}),
    fieldDependencies: ({ options }) =>
        options.partner_field ? [{ name: options.partner_field, type: "many2one", relation: "res.partner" }] : [],
};

registry.category("view_widgets").add("cc_timeline", ccTimeline);
