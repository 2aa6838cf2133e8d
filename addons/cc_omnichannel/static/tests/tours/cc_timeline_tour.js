import { registry } from "@web/core/registry";

const timeline = ".o_form_view .o_cc_timeline";
const item = `${timeline} .o_cc_timeline_items > .o_cc_timeline_item`;

registry.category("web_tour.tours").add("cc_timeline_tour", {
    steps: () => [
        {
            content: "Open the customer's timeline",
            trigger: ".o_form_view .o_notebook .nav-link[name='cc_timeline']",
            run: "click",
        },
        {
            content: "Newest first: the WhatsApp photo tops the list",
            trigger: `${item}:first-child[data-channel='whatsapp']:contains('Sent a photo of the box')`,
        },
        {
            content: "Contacts on several channels are shown",
            trigger: `${timeline}:has([data-channel='sms'].o_cc_timeline_item):has([data-channel='voice'].o_cc_timeline_item):has([data-channel='email'].o_cc_timeline_item)`,
        },
        {
            content: "One page at first: 40 items",
            trigger: `${item}:nth-child(40):last-child`,
        },
        {
            content: "Scroll to the bottom of the timeline",
            trigger: `${timeline} .o_cc_timeline_sentinel`,
            run() {
                document.querySelector(".o_cc_timeline_scroll").scrollTop = 1e6;
            },
        },
        {
            content: "The next page came in: all 49 contacts, the oldest last",
            trigger: `${item}:nth-child(49):last-child:contains('Older call 0')`,
        },
        {
            content: "No more pages",
            trigger: `${timeline}:not(:has(.o_cc_timeline_sentinel))`,
        },
        {
            content: "Search the timeline",
            trigger: `${timeline} .o_cc_timeline_search input`,
            run: "edit photo",
        },
        {
            content: "Only the matching contact is left",
            trigger: `${item}:only-child[data-channel='whatsapp']:contains('Sent a photo of the box')`,
        },
        {
            content: "Clear the search",
            trigger: `${timeline} .o_cc_timeline_search input`,
            run: "clear",
        },
        {
            content: "Everything is back",
            trigger: `${item}:nth-child(40)`,
        },
        {
            content: "Filter: SMS only",
            trigger: `${timeline} .o_cc_timeline_chip[data-channel='sms']`,
            run: "click",
        },
        {
            content: "Only the SMS is left",
            trigger: `${item}:only-child[data-channel='sms']:contains('Texted about the modem')`,
        },
        {
            content: "Open it",
            trigger: `${item}:only-child[data-channel='sms']`,
            run: "click",
        },
        {
            content: "The interaction's form opens",
            trigger: ".o_form_view .o_field_widget[name='display_name']:contains('Texted about the modem')",
        },
        {
            content: "Its breadcrumb leads back to the customer",
            trigger: ".o_breadcrumb:contains('Tina Timeline')",
        },
    ],
});
