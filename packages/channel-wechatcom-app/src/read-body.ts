import type { IncomingMessage } from 'node:http';
import { Refusal } from './refusal.js';

/**
 * A request body as UTF-8 text, refused past `limit` bytes: by its Content-Length before a
 * byte is read, or as the chunks arrive. Written for the callback's hot path: a callback body
 * is one small chunk, and a general reader (raw-body, with its charset decoder and five
 * listeners) cost more than the request's own parsing.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The listeners are inline and nothing here is a named closure: with keepNames (tsx, the
    // build) each would be renamed, an Object.defineProperty, on every callback. A promise
    // settles once; the checks only spare making errors nobody will see.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size - chunk.length <= limit) reject(tooLarge(limit)); // the first chunk past the limit
    });
    req.on('end', () => {
      if (size <= limit) resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    // Closed or failed before the body was complete: the client went away mid-body (common, not our fault: info).
    req.on('close', () => {
      if (!req.complete) reject(clientLeft());
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!req.complete) reject(error.code === 'ECONNRESET' ? clientLeft() : new Refusal(400, `could not read the body (${error.code ?? error.message})`));
    });
  });
}

function tooLarge(limit: number): Refusal {
  return new Refusal(413, `body larger than ${limit} bytes`);
}

function clientLeft(): Refusal {
  return new Refusal(400, 'the client closed the connection before the body arrived', 'info');
}
