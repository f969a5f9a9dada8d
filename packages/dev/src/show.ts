/** How exchanges are written in the developer panel: readable, and without live credentials. */

/** Query keys whose values are credentials: shown by their first characters only. */
const CREDENTIALS = new Set(['access_token', 'corpsecret']);

export function maskQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${key}=${CREDENTIALS.has(key) ? `${value.slice(0, 6)}…` : value}`)
    .join('&');
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** One element per line (a break after each closing tag): enough to read a WeCom message, which is flat but for news items. */
export function prettyXml(xml: string): string {
  return xml.replace(/(<\/\w+>|<xml>|<Articles>|<item>)(?=<)/g, '$1\n');
}
