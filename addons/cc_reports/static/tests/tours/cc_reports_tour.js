import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const card = (kpi) => `.o_cc_dashboard .o_cc_kpi_card[data-kpi='${kpi}']`;

/**
 * The supervisor dashboard with the data of cc_reports/tests/test_ui.py: 3 contacts handled in the last
 * 7 days (1 of them today) against 1 the 7 days before, 1 abandoned, 1 in progress, 1 customer waiting, Dana available
 * with 1 contact on her 4 slots, 1 SLA target met, 1 breached and 1 at risk.
 */
registry.category("web_tour.tours").add("cc_reports_tour", {
    url: "/odoo/action-cc_reports.action_cc_dashboard",
    steps: () => [
        {
            content: "The handled card shows the contacts handled in the last 7 days",
            trigger: `${card("handled")} .o_cc_kpi_value:text(3)`,
        },
        {
            content: "... up against the 7 days before, which is good news",
            trigger: `${card("handled")} .o_cc_kpi_delta.text-success[data-direction='up']`,
        },
        {
            content: "Offered counts the abandoned contact too",
            trigger: `${card("offered")} .o_cc_kpi_value:text(4)`,
        },
        {
            content: "The abandonment rate is a percentage",
            trigger: `${card("abandon_rate")} .o_cc_kpi_value:text(25.0%)`,
        },
        {
            content: "One SLA target met out of two",
            trigger: `${card("sla_compliance")} .o_cc_kpi_value:text(50.0%)`,
        },
        {
            content: "The live panel shows the customer waiting now",
            trigger: ".o_cc_live_tile[data-live='waiting'] .o_cc_live_value:text(1)",
        },
        {
            content: "... the SLA timers at risk and breached",
            trigger: ".o_cc_live_tile[data-live='at_risk'] .o_cc_live_value:text(1)",
        },
        {
            trigger: ".o_cc_live_tile[data-live='breached'] .o_cc_live_value:text(1)",
        },
        {
            content: "... and Dana's presence and load",
            trigger: ".o_cc_agent[data-presence='available']:contains(Dana Dashboard) .o_cc_load_text:contains(1 / 4)",
        },
        {
            content: "The volume chart is drawn",
            trigger: ".o_cc_chart_volume canvas",
        },
        {
            content: "Switch to today",
            trigger: ".o_cc_period button[data-period='today']",
            run: "click",
        },
        {
            content: "Today, two contacts were handled",
            trigger: ".o_cc_period button[data-period='today'].active",
        },
        {
            trigger: `${card("handled")} .o_cc_kpi_value:text(1)`,
        },
        {
            content: "Back to the last 7 days",
            trigger: ".o_cc_period button[data-period='7d']",
            run: "click",
        },
        {
            content: "Open the handled contacts",
            trigger: `${card("handled")}:has(.o_cc_kpi_value:text(3))`,
            run: "click",
        },
        {
            content: "The handled interactions are listed",
            trigger: ".o_list_view .o_last_breadcrumb_item:contains(Handled)",
        },
        {
            trigger: ".o_list_view .o_pager_limit:text(3)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Billing question)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The dashboard kept its period",
            trigger: ".o_cc_period button[data-period='7d'].active",
        },
        {
            trigger: `${card("handled")} .o_cc_kpi_value:text(3)`,
        },
        {
            content: "Open the breached SLA timers",
            trigger: ".o_cc_live_tile[data-live='breached']",
            run: "click",
        },
        {
            content: "The breached timer is listed",
            trigger: ".o_list_view .o_last_breadcrumb_item:contains(Breached SLA timers)",
        },
        {
            trigger: ".o_list_view .o_pager_limit:text(1)",
        },
    ],
});

registry.category("web_tour.tours").add("cc_reports_volume_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Contact Center app",
            trigger: ".o_app[data-menu-xmlid='cc_omnichannel.menu_cc_root']",
            run: "click",
        },
        {
            content: "Open the reporting menu",
            trigger: "button[data-menu-xmlid='cc_omnichannel.menu_cc_reporting']",
            run: "click",
        },
        {
            content: "Contact Volume",
            trigger: "a[data-menu-xmlid='cc_reports.menu_cc_interaction_analysis']",
            run: "click",
        },
        {
            content: "The contact volume chart is drawn",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
    ],
});
