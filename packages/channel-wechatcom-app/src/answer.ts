import type { ServerResponse } from 'node:http';

interface Answer {
  res: ServerResponse;
  status: number;
  type: string | undefined;
  body: string;
}

let waiting: Answer[] = [];

/**
 * Answers a callback at the end of this turn of the event loop, with the other answers made
 * ready in it, one after another. Under load one turn readies many answers; written each as
 * it was ready, between one callback's work and the next, each write found the peer (a
 * reverse proxy on this host, a load generator) idle and paid to wake it: node:http's
 * `res.end` cost 20 µs instead of 5 beside 45 µs of other work per request (one core each).
 * Written back to back, the first one wakes it. Alone in its turn, an answer goes at once.
 */
export function answer(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  if (waiting.length === 0) setImmediate(writeWaiting);
  waiting.push({ res, status, type, body });
}

function writeWaiting(): void {
  const answers = waiting;
  waiting = [];
  for (const { res, status, type, body } of answers) write(res, status, type, body);
}

function write(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  if (res.headersSent || res.destroyed) return;
  // Headers as a flat list: writeHead takes them without setHeader's per-call checks and copies.
  const length = String(Buffer.byteLength(body));
  res.writeHead(status, type ? ['Content-Type', type, 'Content-Length', length] : ['Content-Length', length]);
  res.end(body);
}
