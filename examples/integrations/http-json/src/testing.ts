/** Test helpers: the channel in a test app, and a client that speaks its HTTP API. */
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { HttpJsonChannel } from './channel.js';
import integration from './index.js';

export const SECRET = 'test-secret-0123456789abcdef';

/** The real pipeline with this channel on a free loopback port; `bot` defaults to echo. */
export async function startChannelApp(raw: Record<string, unknown> = {}): Promise<{ app: TestApp; url: string; close(): Promise<void> }> {
  const app = createTestApp(
    { channel_type: 'http_json', http_json_host: '127.0.0.1', http_json_port: 0, http_json_secret: SECRET, ...raw },
    { integrations: [integration] },
  );
  if (!(app.channel instanceof HttpJsonChannel)) throw new Error('channel_type http_json did not build the HttpJsonChannel');
  await app.channel.start(app.pipeline.handle);
  const url = app.channel.url;
  if (!url) throw new Error('the channel did not report its URL');
  return { app, url, close: () => app.channel.stop() };
}

/** POSTs `body` (an object is sent as JSON) with the secret unless `headers` say otherwise. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface ServerEvent {
  event: string;
  data: unknown;
}

/** Reads server-sent events as they arrive; `onEvent` sees each one before the next is read. */
export async function readEvents(response: Response, onEvent: (event: ServerEvent) => void = () => undefined): Promise<ServerEvent[]> {
  const events: ServerEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
      events.push({ event, data });
      onEvent({ event, data });
    }
  }
  return events;
}

/** A promise with its resolve, to hold a bot until the test lets it go. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
