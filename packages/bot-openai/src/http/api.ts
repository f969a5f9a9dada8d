import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiConnectionError, ApiStatusError, type ApiErrorBody } from './api-errors.js';
import { SseDecoder, type SseEvent } from './sse.js';
import { ApiTransport } from './transport.js';

/** A 2xx answer: its headers, and its body as it arrives. */
export interface ApiAnswer {
  headers: IncomingHttpHeaders;
  body: Readable;
  signal: AbortSignal;
}

/**
 * JSON calls to an OpenAI-compatible API without the SDK, for the chat, the call made for
 * every message: a 2xx answer's body, or an ApiStatusError (non-2xx) or ApiConnectionError
 * (no answer, or one cut off). `signal` bounds the call; once it fires, its reason is thrown.
 */
export class OpenAIApi {
  private readonly transport: ApiTransport;
  private readonly headers: Record<string, string>;

  constructor(
    readonly baseURL: string,
    apiKey: string,
    proxy: string,
  ) {
    this.transport = new ApiTransport(baseURL, proxy);
    this.headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'wecom-bot' };
  }

  async post(path: string, body: unknown, signal: AbortSignal): Promise<ApiAnswer> {
    const response = await this.transport.send({ method: 'POST', path, headers: this.headers, body: JSON.stringify(body), signal });
    const answer = { headers: response.headers, body: response.body, signal };
    if (response.status >= 200 && response.status < 300) return answer;
    const text = await readText(answer);
    // A gateway's HTML error page is cut short: the log needs its start only.
    throw new ApiStatusError(response.status, errorOf(text), text.slice(0, 300) || undefined, response.headers);
  }
}

/** The whole body as text. */
export async function readText(answer: ApiAnswer): Promise<string> {
  const chunks: Buffer[] = [];
  await consume(answer, (chunk) => chunks.push(chunk));
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON; an answer that is not JSON says what it was instead. */
export async function readJson(answer: ApiAnswer): Promise<unknown> {
  const text = await readText(answer);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the API answered something other than JSON (${answer.headers['content-type'] ?? 'no content-type'}): ${text.slice(0, 120)}`);
  }
}

/**
 * Hands each Server-Sent Event of the body to `onEvent` as it arrives; resolves at the body's
 * end. An error `onEvent` throws stops the reading (and drops the connection) and is the result.
 */
export function readEvents(answer: ApiAnswer, onEvent: (event: SseEvent) => void): Promise<void> {
  const decoder = new SseDecoder(onEvent);
  return consume(answer, (chunk) => decoder.write(chunk), () => decoder.end());
}

/**
 * Reads the body by its events (cheaper than an async iterator, which a chat pays for each
 * chunk): `onChunk` for each piece, `onEnd` at the end. Whatever throws, or a body cut off,
 * stops it; the body is then destroyed, which closes its connection.
 */
function consume(answer: ApiAnswer, onChunk: (chunk: Buffer) => void, onEnd?: () => void): Promise<void> {
  const { body, signal } = answer;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) return resolve();
      body.destroy();
      reject(error);
    };
    const guard = (step: () => void) => {
      if (settled) return;
      try {
        step();
      } catch (error) {
        settle(error);
      }
    };
    body.on('data', (chunk: Buffer) => guard(() => onChunk(chunk)));
    body.on('end', () => guard(() => (onEnd?.(), settle())));
    body.on('error', (error) => settle(cutOff(error, signal)));
    body.on('close', () => settle(cutOff(new Error('the connection closed before the answer ended'), signal)));
  });
}

/** A body cut off is a lost connection (retried as one), unless our own deadline cut it. */
function cutOff(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  return new ApiConnectionError(`the answer was cut off: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** `{"error": {...}}` of an error answer, when the body is that JSON. */
function errorOf(text: string): ApiErrorBody | undefined {
  try {
    const json = JSON.parse(text) as { error?: unknown } | null;
    return json && typeof json.error === 'object' && json.error !== null ? (json.error as ApiErrorBody) : undefined;
  } catch {
    return undefined;
  }
}
