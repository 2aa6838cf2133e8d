import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("cc_sla_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Contact Center app",
            trigger: ".o_app[data-menu-xmlid='cc_omnichannel.menu_cc_root']",
            run: "click",
        },
        {
            content: "Open the configuration menu",
            trigger: "button[data-menu-xmlid='cc_omnichannel.menu_cc_configuration']",
            run: "click",
        },
        {
            content: "SLA Policies",
            trigger: "a[data-menu-xmlid='cc_sla.menu_cc_sla_policy']",
            run: "click",
        },
        {
            content: "The policy is listed",
            trigger: ".o_list_view .o_data_row:contains('Standard support')",
        },
    ],
});
