/**
 * Open-loop load: each prepared callback is POSTed at its scheduled time (spread evenly over
 * `spreadMs`), whether or not earlier ones were answered, over keep-alive connections. Ack
 * latency is measured from the scheduled time, so a sender falling behind cannot hide a slow
 * server (no coordinated omission).
 */
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';

export interface ScheduledCallback {
  member: string;
  /** Path with the signed query. */
  path: string;
  body: string;
}

export interface OpenLoopResult {
  /** Epoch ms of the first scheduled send; callback i was due at startedAt + i * spreadMs / n. */
  startedAt: number;
  /** Ack latency in ms per callback (NaN when it got no answer). */
  ackMs: number[];
  statuses: Record<string, number>;
  /** Socket errors by code (ECONNRESET, timeout…). */
  errors: Record<string, number>;
  /** Members whose callback answer carried a passive reply. */
  passive: string[];
  /** Connections the sender opened. */
  connections: number;
  /** How late the sender fired its latest request, in ms (it should keep up). */
  maxLagMs: number;
}

export function sendOpenLoop(port: number, callbacks: ScheduledCallback[], spreadMs: number, options: { maxSockets?: number; timeoutMs?: number } = {}): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? Infinity });
  const sockets = new Set<Socket>();
  const gap = spreadMs / callbacks.length;
  const t0 = performance.now() + 100;
  const result: OpenLoopResult = { startedAt: Date.now() + 100, ackMs: callbacks.map(() => NaN), statuses: {}, errors: {}, passive: [], connections: 0, maxLagMs: 0 };
  let pending = callbacks.length;

  return new Promise((resolve) => {
    const settle = () => {
      if (--pending > 0) return;
      result.connections = sockets.size;
      agent.destroy();
      resolve(result);
    };
    const fire = (i: number) => {
      const due = t0 + i * gap;
      result.maxLagMs = Math.max(result.maxLagMs, performance.now() - due);
      const { path, body, member } = callbacks[i]!;
      let settled = false;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        settle();
      };
      const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          done(() => {
            result.ackMs[i] = performance.now() - due;
            const status = String(res.statusCode);
            result.statuses[status] = (result.statuses[status] ?? 0) + 1;
            if (text.includes('<Encrypt>')) result.passive.push(member);
          }),
        );
      });
      req.on('socket', (socket) => sockets.add(socket));
      req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('error', (error: NodeJS.ErrnoException) => done(() => (result.errors[error.code ?? error.message] = (result.errors[error.code ?? error.message] ?? 0) + 1)));
      req.end(body);
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < callbacks.length && t0 + next * gap <= now) fire(next++);
      if (next < callbacks.length) setTimeout(tick, 1);
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
}
