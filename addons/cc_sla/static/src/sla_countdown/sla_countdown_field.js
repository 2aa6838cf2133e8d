import { Component, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

const STATE_CLASSES = {
    running: "text-bg-success",
    at_risk: "text-bg-warning",
    breached: "text-bg-danger",
    paused: "text-bg-secondary",
    met: "text-bg-light",
    met_late: "text-bg-light",
};
const REFRESH_MS = 30000;

/** A ticket's nearest SLA deadline as a live countdown, coloured by the ticket's SLA state. */
export class SlaCountdownField extends Component {
    static template = "cc_sla.SlaCountdownField";
    static props = { ...standardFieldProps, stateField: { type: String, optional: true } };
    static defaultProps = { stateField: "cc_sla_state" };

    setup() {
        this.clock = useState({ now: DateTime.now() });
        const interval = setInterval(() => (this.clock.now = DateTime.now()), REFRESH_MS);
        onWillUnmount(() => clearInterval(interval));
    }

    get state() {
        return this.props.record.data[this.props.stateField];
    }

    get deadline() {
        return this.props.record.data[this.props.name];
    }

    get label() {
        if (!this.deadline) {
            return { paused: _t("Paused"), met: _t("Met"), met_late: _t("Met late") }[this.state] || "";
        }
        const minutes = Math.round(this.deadline.diff(this.clock.now, "minutes").minutes);
        const span = formatSpan(Math.abs(minutes));
        return minutes >= 0 ? _t("%s left", span) : _t("%s overdue", span);
    }

    get className() {
        return STATE_CLASSES[this.state] || "text-bg-light";
    }

    get title() {
        return this.deadline ? _t("Due %s", formatDateTime(this.deadline)) : "";
    }
}

function formatSpan(minutes) {
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const rest = minutes % 60;
    if (days) {
        return `${days}d ${hours}h`;
    }
    return hours ? `${hours}h ${String(rest).padStart(2, "0")}m` : `${rest}m`;
}

export const slaCountdownField = {
    component: SlaCountdownField,
    displayName: _t("SLA Countdown"),
    supportedTypes: ["datetime"],
    extractProps: ({ options }) => ({ stateField: options.state_field }),
};

registry.category("fields").add("cc_sla_countdown", slaCountdownField);
