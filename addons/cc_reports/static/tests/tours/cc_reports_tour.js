import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("cc_reports_tour", {
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
