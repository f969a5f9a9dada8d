import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body taken: a chat message, not an upload. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request the client must fix: answered with `status` and `{ "error": message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a client posts: who is asking, and what. */
export interface ChatRequest {
  user: string;
  text: string;
  /** Shown to plugins as the sender's name. */
  name?: string;
}

/** True when the request carries `Authorization: Bearer <secret>`; compared in constant time. */
export function authorized(req: IncomingMessage, secret: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  // Hashing first gives equal lengths, which timingSafeEqual needs, and leaks no length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return given !== '' && timingSafeEqual(digest(given), digest(secret));
}

/**
 * The body as text; 413 past `MAX_BODY_BYTES`. The rest of a large body is read and dropped
 * so the client gets the 413 rather than a reset connection (the server's requestTimeout
 * bounds how long that may take).
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

/** `{ "user": "…", "text": "…", "name"?: "…" }`, or a 400 saying which field is wrong. */
export function parseChatRequest(body: string): ChatRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body is not JSON: send {"user": "…", "text": "…"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object {"user": "…", "text": "…"}');
  const { user, text, name } = value as Record<string, unknown>;
  if (typeof user !== 'string' || user.trim() === '' || user.length > 256) throw new HttpError(400, '"user" must be a non-empty string of at most 256 characters');
  if (typeof text !== 'string' || text.trim() === '') throw new HttpError(400, '"text" must be a non-empty string');
  if (name !== undefined && typeof name !== 'string') throw new HttpError(400, '"name" must be a string when given');
  return { user, text, name };
}

/** True when the client asked for server-sent events. */
export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** One server-sent event; nothing once the client has gone. */
export function writeEvent(res: ServerResponse, event: string, data: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
