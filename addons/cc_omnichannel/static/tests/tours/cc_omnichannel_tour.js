import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("cc_omnichannel_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Contact Center app",
            trigger: ".o_app[data-menu-xmlid='cc_omnichannel.menu_cc_root']",
            run: "click",
        },
        {
            content: "Open the channels",
            trigger: "button[data-menu-xmlid='cc_omnichannel.menu_cc_configuration']",
            run: "click",
        },
        {
            content: "Channels",
            trigger: "a[data-menu-xmlid='cc_omnichannel.menu_cc_channel']",
            run: "click",
        },
        {
            content: "The SMS line is listed",
            trigger: ".o_list_view .o_data_cell:contains('Support SMS')",
            run: "click",
        },
        {
            content: "Its form shows the webhook URL to give the provider",
            trigger: ".o_form_view .o_field_widget[name='webhook_url']:contains('/cc/webhook/twilio/')",
        },
    ],
});
