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
    // Once settled, later events make no error (a 'close' follows every 'end').
    let settled = false;
    const fail = (refusal: () => Refusal) => {
      if (settled) return;
      settled = true;
      reject(refusal());
    };
    // The listeners are passed inline: a named function is renamed (keepNames) each time it is made.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(() => tooLarge(limit));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    // 'close' before 'end': the client went away mid-body (common, not our fault: info).
    req.on('close', () => fail(clientLeft));
    req.on('error', (error: NodeJS.ErrnoException) => fail(() => (error.code === 'ECONNRESET' ? clientLeft() : new Refusal(400, `could not read the body (${error.code ?? error.message})`))));
  });
}

function tooLarge(limit: number): Refusal {
  return new Refusal(413, `body larger than ${limit} bytes`);
}

function clientLeft(): Refusal {
  return new Refusal(400, 'the client closed the connection before the body arrived', 'info');
}
