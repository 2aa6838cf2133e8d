import { browser } from "@web/core/browser/browser";
import { Component, onWillUnmount, useState } from "@odoo/owl";

import { formatClock } from "./cc_dashboard_format";

/**
 * The longest wait, ticking every second from the figure the server sent at `since` (a timestamp in ms):
 * only this small component renders each second, not the dashboard.
 */
export class CcWaitClock extends Component {
    static template = "cc_reports.WaitClock";
    static props = {
        seconds: Number,
        since: Number,
        running: Boolean,
    };

    setup() {
        this.state = useState({ now: Date.now() });
        this.interval = browser.setInterval(() => {
            if (this.props.running) {
                this.state.now = Date.now();
            }
        }, 1000);
        onWillUnmount(() => browser.clearInterval(this.interval));
    }

    get text() {
        if (!this.props.running) {
            return formatClock(0);
        }
        const elapsed = Math.max(0, (this.state.now - this.props.since) / 1000);
        return formatClock(this.props.seconds + elapsed);
    }
}
