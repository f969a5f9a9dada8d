import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A JSON call's answer: status and body text. */
export interface JsonAnswer {
  status: number;
  text: string;
}

/** Why a call got no answer: the socket error's code and syscall, and whether any of the answer had arrived. */
export class TransportFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly syscall: string | undefined,
    readonly when: 'before-answer' | 'in-answer',
  ) {
    super(message);
  }
}

/**
 * The WeCom API's JSON calls (gettoken, message/send …) on node:http with kept-alive
 * connections, at most `maxSockets` of them: a burst of replies shares a few connections (and
 * TLS handshakes), and each call costs a third of the CPU fetch takes for the same exchange.
 */
export class JsonTransport {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(base: string, maxSockets: number) {
    const https = base.startsWith('https:');
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    this.agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    this.send = https ? httpsRequest : httpRequest;
  }

  call(url: URL, method: 'GET' | 'POST', body: string | undefined, timeoutMs: number): Promise<JsonAnswer> {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };
      let answered = false;
      const req = this.send(url, { method, agent: this.agent, headers, signal: AbortSignal.timeout(timeoutMs) }, (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(failure(error, 'in-answer')));
      });
      req.on('error', (error) => reject(failure(error, answered ? 'in-answer' : 'before-answer')));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function failure(error: NodeJS.ErrnoException, when: 'before-answer' | 'in-answer'): TransportFailure {
  // A time-out aborts the request: an AbortError whose cause is the TimeoutError.
  const timedOut = error.name === 'AbortError';
  const reason = timedOut ? 'no answer within the time limit' : error.code ?? error.message;
  return new TransportFailure(reason, timedOut ? undefined : error.code, error.syscall, when);
}
