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
    const settle = (error?: Refusal) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => settle();
    // 'close' before 'end': the client went away mid-body (common, not our fault: info).
    const onClose = () => settle(new Refusal(400, 'the client closed the connection before the body arrived', 'info'));
    const onError = (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ECONNRESET' ? new Refusal(400, 'the client closed the connection before the body arrived', 'info') : new Refusal(400, `could not read the body (${error.code ?? error.message})`));
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
  });
}

function tooLarge(limit: number): Refusal {
  return new Refusal(413, `body larger than ${limit} bytes`);
}
