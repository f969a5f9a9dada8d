import { describe, expect, it } from 'vitest';
import { encodeFrame, isDisconnectedEvent, parseFrame, type CallbackFrame } from './frames.js';

describe('parseFrame', () => {
  it('reads a message callback', () => {
    const raw = JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'r1' }, body: { msgid: 'm1', msgtype: 'text', text: { content: 'a\nb' } } });
    expect(parseFrame(raw)).toEqual({
      kind: 'callback',
      frame: { cmd: 'aibot_msg_callback', headers: { req_id: 'r1' }, body: { msgid: 'm1', msgtype: 'text', text: { content: 'a\nb' } } },
    });
  });

  it('reads acks, with or without errmsg and body', () => {
    expect(parseFrame('{"headers":{"req_id":"p1"},"errcode":0}')).toEqual({ kind: 'ack', ack: { reqId: 'p1', errcode: 0, errmsg: '' } });
    expect(parseFrame(Buffer.from('{"headers":{"req_id":"u1"},"errcode":0,"errmsg":"ok","body":{"upload_id":"x"}}'))).toEqual({
      kind: 'ack',
      ack: { reqId: 'u1', errcode: 0, errmsg: 'ok', body: { upload_id: 'x' } },
    });
    expect(parseFrame('{"headers":{"req_id":"s1"},"errcode":846608,"errmsg":"stream message update expired"}')).toMatchObject({
      kind: 'ack',
      ack: { errcode: 846608 },
    });
  });

  it('strips control characters before parsing, as the SDK does', () => {
    const raw = '{"cmd":"aibot_event_callback",\u0000"headers":{"req_id":"r\u001f2"},\u000b"body":{"event":{"eventtype":"enter_chat"}}}';
    expect(parseFrame(raw)).toMatchObject({ kind: 'callback', frame: { headers: { req_id: 'r2' } } });
  });

  it('passes frames with an unknown cmd as "other"', () => {
    expect(parseFrame('{"cmd":"aibot_get_mcp_config","headers":{"req_id":"r3"},"body":{}}')).toEqual({ kind: 'other', cmd: 'aibot_get_mcp_config', reqId: 'r3' });
  });

  it.each([
    ['not JSON', 'hello {'],
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['no req_id', '{"cmd":"aibot_msg_callback","body":{}}'],
    ['an ack without errcode', '{"headers":{"req_id":"r"},"errmsg":"ok"}'],
    ['a callback without body', '{"cmd":"aibot_msg_callback","headers":{"req_id":"r"}}'],
    ['a non-string cmd', '{"cmd":7,"headers":{"req_id":"r"}}'],
  ])('returns junk, never throws, for %s', (_what, raw) => {
    expect(parseFrame(raw).kind).toBe('junk');
  });
});

describe('frames', () => {
  it('encodes an outbound frame as WeCom expects', () => {
    expect(JSON.parse(encodeFrame({ cmd: 'ping', headers: { req_id: 'p' } }))).toEqual({ cmd: 'ping', headers: { req_id: 'p' } });
  });

  it('recognises disconnected_event and nothing else', () => {
    const event = (eventtype: string): CallbackFrame => ({ cmd: 'aibot_event_callback', headers: { req_id: 'r' }, body: { msgtype: 'event', event: { eventtype } } });
    expect(isDisconnectedEvent(event('disconnected_event'))).toBe(true);
    expect(isDisconnectedEvent(event('enter_chat'))).toBe(false);
    expect(isDisconnectedEvent({ ...event('disconnected_event'), cmd: 'aibot_msg_callback' })).toBe(false);
  });
});
