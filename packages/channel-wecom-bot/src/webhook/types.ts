/**
 * A decrypted AI-bot callback (PROTOCOLS-AIBOT-KF.md §1.2): a JSON object whose `msgtype`
 * says what it is. The webhook layer reads only `msgtype` and, for refresh polls, `stream.id`;
 * the channel parses the rest.
 */
export type WebhookCallback = { readonly msgtype: string } & { readonly [key: string]: unknown };

/**
 * A passive reply, serialized with JSON.stringify and encrypted into the HTTP answer (§1.3): a
 * stream frame (`StreamFrame` of ../stream), a welcome text, a template card, or
 * `{response_type: "update_template_card", …}`, which has no msgtype. `object` rather than a
 * record type, so that interfaces such as StreamFrame are accepted as they are.
 */
export type WebhookReply = object;
