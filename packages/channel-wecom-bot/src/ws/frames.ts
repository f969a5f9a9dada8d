/**
 * Frames of the AI bot long connection (PROTOCOLS-AIBOT-KF.md §1.6): JSON text frames
 * `{cmd, headers: {req_id}, body}`; acks carry no `cmd`, only `headers.req_id`, `errcode`,
 * `errmsg` and sometimes a `body`.
 */

export type CallbackCmd = 'aibot_msg_callback' | 'aibot_event_callback';

/** Commands this client sends; any other string is allowed for commands added later. */
export type OutboundCmd =
  | 'aibot_subscribe'
  | 'ping'
  | 'aibot_respond_msg'
  | 'aibot_respond_welcome_msg'
  | 'aibot_respond_update_msg'
  | 'aibot_send_msg'
  | 'aibot_upload_media_init'
  | 'aibot_upload_media_chunk'
  | 'aibot_upload_media_finish'
  | (string & {});

export interface FrameHeaders {
  req_id: string;
}

export interface OutboundFrame {
  cmd: OutboundCmd;
  headers: FrameHeaders;
  body?: unknown;
}

/** A message or event WeCom pushes; `body` is the message of §1.2, not validated here. */
export interface CallbackFrame {
  cmd: CallbackCmd;
  headers: FrameHeaders;
  body: Record<string, unknown>;
}

/** The server's answer to one frame we sent, matched by `req_id`. */
export interface Ack {
  reqId: string;
  errcode: number;
  errmsg: string;
  body?: unknown;
}

export type InboundFrame =
  | { kind: 'callback'; frame: CallbackFrame }
  | { kind: 'ack'; ack: Ack }
  /** A frame with a cmd this client does not handle (future or MCP commands). */
  | { kind: 'other'; cmd: string; reqId: string };

export type ParseResult = InboundFrame | { kind: 'junk'; reason: string };

// The SDK strips these before JSON.parse, which suggests WeCom sends them; \t and \n stay
// (JSON allows them as whitespace, and escaped ones inside strings are unaffected).
const CONTROL_CHARS = /[\x00-\x08\x0B-\x0D\x0E-\x1F]/g;

/** Parses one raw text frame. Never throws: junk comes back as `{kind: 'junk'}`. */
export function parseFrame(raw: string | Buffer): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString().replace(CONTROL_CHARS, ''));
  } catch (error) {
    return { kind: 'junk', reason: `not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(value)) return { kind: 'junk', reason: 'not a JSON object' };
  const headers = value['headers'];
  const reqId = isRecord(headers) ? headers['req_id'] : undefined;
  if (typeof reqId !== 'string') return { kind: 'junk', reason: 'no headers.req_id' };
  const cmd = value['cmd'];

  if (cmd === undefined || cmd === null || cmd === '') {
    const errcode = value['errcode'];
    // A ping ack may omit errmsg; an ack without a numeric errcode cannot be judged.
    if (typeof errcode !== 'number') return { kind: 'junk', reason: `ack for ${reqId} without a numeric errcode` };
    const errmsg = typeof value['errmsg'] === 'string' ? value['errmsg'] : '';
    const ack: Ack = { reqId, errcode, errmsg };
    if (value['body'] !== undefined) ack.body = value['body'];
    return { kind: 'ack', ack };
  }
  if (typeof cmd !== 'string') return { kind: 'junk', reason: 'cmd is not a string' };
  if (cmd === 'aibot_msg_callback' || cmd === 'aibot_event_callback') {
    const body = value['body'];
    if (!isRecord(body)) return { kind: 'junk', reason: `${cmd} ${reqId} without an object body` };
    return { kind: 'callback', frame: { cmd, headers: { req_id: reqId }, body } };
  }
  return { kind: 'other', cmd, reqId };
}

export function encodeFrame(frame: OutboundFrame): string {
  return JSON.stringify(frame);
}

/** WeCom sends this to the old socket when another instance subscribes with the same bot. */
export function isDisconnectedEvent(frame: CallbackFrame): boolean {
  const event = frame.body['event'];
  return frame.cmd === 'aibot_event_callback' && isRecord(event) && event['eventtype'] === 'disconnected_event';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
