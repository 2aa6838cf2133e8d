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
        {
            content: "Open the work menu",
            trigger: "button[data-menu-xmlid='cc_omnichannel.menu_cc_work']",
            run: "click",
        },
        {
            content: "Tickets at risk",
            trigger: "a[data-menu-xmlid='cc_sla.menu_cc_sla_at_risk']",
            run: "click",
        },
        {
            content: "The at-risk ticket shows its countdown, coloured as at risk",
            trigger: ".o_data_row:contains('Router keeps rebooting') .o_cc_sla_countdown[data-state='at_risk']:contains('left')",
        },
        {
            content: "The ticket that is fine is not in this list",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Password reset')))",
        },
        {
            content: "Filter on breached tickets only",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Breached",
            trigger: ".o_filter_menu .dropdown-item:contains('SLA Breached')",
            run: "click",
        },
        {
            content: "No breached ticket: the at-risk one is filtered out",
            trigger: ".o_view_nocontent, .o_list_view:not(:has(.o_data_row))",
        },
    ],
});
