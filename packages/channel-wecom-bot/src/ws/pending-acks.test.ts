import { describe, expect, it } from 'vitest';
import { AckTimeoutError } from './errors.js';
import { PendingAcks } from './pending-acks.js';

const ack = (reqId: string, errcode = 0) => ({ reqId, errcode, errmsg: errcode === 0 ? 'ok' : 'err' });

describe('PendingAcks', () => {
  it('matches acks per req_id, oldest frame first', async () => {
    const pending = new PendingAcks(1_000);
    const a1 = pending.add('aibot_respond_msg', 'a');
    const b1 = pending.add('aibot_send_msg', 'b');
    const a2 = pending.add('aibot_respond_msg', 'a');
    expect(pending.settle(ack('a', 846608))).toBe(true);
    expect(pending.settle(ack('b'))).toBe(true);
    expect(pending.settle(ack('a'))).toBe(true);
    expect(pending.settle(ack('a'))).toBe(false);
    expect((await a1.acked).errcode).toBe(846608);
    expect((await a2.acked).errcode).toBe(0);
    expect((await b1.acked).reqId).toBe('b');
    expect(pending.size).toBe(0);
  });

  it('times a frame out and lets the next one of its req_id take the following ack', async () => {
    const pending = new PendingAcks(20);
    const first = pending.add('aibot_respond_msg', 'a').acked.catch((error: unknown) => error);
    expect(await first).toBeInstanceOf(AckTimeoutError);
    const second = pending.add('aibot_respond_msg', 'a');
    pending.settle(ack('a'));
    expect((await second.acked).errcode).toBe(0);
  });

  it('rejects everything on rejectAll, and cancel rejects one', async () => {
    const pending = new PendingAcks(1_000);
    const one = pending.add('ping', 'p').acked.catch((error: unknown) => error);
    const two = pending.add('aibot_send_msg', 's');
    const twoOutcome = two.acked.catch((error: unknown) => error);
    two.cancel(new Error('send failed'));
    expect(((await twoOutcome) as Error).message).toBe('send failed');
    pending.rejectAll((cmd, reqId) => new Error(`${cmd}/${reqId} closed`));
    expect(((await one) as Error).message).toBe('ping/p closed');
    expect(pending.size).toBe(0);
  });
});
