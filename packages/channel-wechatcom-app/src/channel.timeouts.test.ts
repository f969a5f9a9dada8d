// Issue 10: slow clients (slowloris) must not hold connections open. The channel runs on
// loopback with a short wechatcomapp_request_timeout_ms so each case takes well under 2 s.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, start, text, type Harness } from './testing/channel-harness.js';

afterEach(closeAll);

const LIMIT_MS = 300;
/** How long a test waits for the server to close the connection before calling it left open. */
const GIVE_UP_MS = 1500;

interface SlowClient {
  /** Milliseconds from connecting until the server closed the connection (Infinity: still open). */
  closedAfterMs: number;
  /** What the server wrote before closing. */
  received: string;
}

/** Opens a raw connection, writes `chunks` (the request, never finished) and waits for the server to close it. */
function slowClient(port: number, chunks: string[], giveUpMs = GIVE_UP_MS): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1', () => chunks.forEach((c) => socket.write(c)));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ closedAfterMs: Infinity, received });
    }, giveUpMs);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

const pathAndQuery = (h: Harness) => {
  const url = new URL(h.wecom.prepare(text(h, 'slow')).url);
  return url.pathname + url.search;
};

describe('server timeouts', () => {
  it('closes a request whose body never completes within wechatcomapp_request_timeout_ms, with a 408 and a warn line', async () => {
    const h = await start({ wechatcomapp_request_timeout_ms: LIMIT_MS });
    const head = `POST ${pathAndQuery(h)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 2000\r\n\r\n`;
    const slow = await slowClient(h.channel.port!, [head, '<xml><ToUserName><![CDATA[ww']);
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(LIMIT_MS - 50);
    expect(slow.closedAfterMs).toBeLessThan(GIVE_UP_MS);
    expect(slow.received).toMatch(/^HTTP\/1\.1 408/);
    const warnings = h.app.logLines.filter((l) => l.includes('"level":"warn"'));
    expect(warnings.filter((l) => l.includes('timed out'))).toHaveLength(1);
    expect(h.bot.contexts).toHaveLength(0);
  });

  it('closes a connection whose headers never complete', async () => {
    const h = await start({ wechatcomapp_request_timeout_ms: LIMIT_MS });
    const slow = await slowClient(h.channel.port!, [`POST ${pathAndQuery(h)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'X-Slow: 1\r\n']);
    expect(slow.closedAfterMs).toBeLessThan(GIVE_UP_MS);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    // The idle limit is min(5 s, the request limit); Node adds a 1 s grace period to it.
    const h = await start({ wechatcomapp_request_timeout_ms: 100 });
    const slow = await slowClient(h.channel.port!, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'], 1900);
    expect(slow.received).toMatch(/^HTTP\/1\.1 200/);
    expect(slow.closedAfterMs).toBeLessThan(1900);
  });

  it('still answers requests that arrive in time', async () => {
    const h = await start({ wechatcomapp_request_timeout_ms: LIMIT_MS });
    expect((await h.wecom.post(text(h, 'in time'))).status).toBe(200);
    await h.api.waitForSent(1);
  });
});
