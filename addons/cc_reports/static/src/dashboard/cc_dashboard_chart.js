import { loadBundle } from "@web/core/assets";
import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";

/**
 * A Chart.js chart, loaded lazily as the graph view does. It is drawn again only when it gets a new
 * `config` object: the dashboard builds one per data load, so live updates do not redraw the charts.
 */
export class CcDashboardChart extends Component {
    static template = "cc_reports.DashboardChart";
    static props = {
        config: Object,
        height: { type: Number, optional: true },
    };
    static defaultProps = { height: 240 };

    setup() {
        this.canvas = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            (config) => {
                this.chart?.destroy();
                this.chart = new Chart(this.canvas.el, config);
            },
            () => [this.props.config]
        );
        onWillUnmount(() => this.chart?.destroy());
    }
}
