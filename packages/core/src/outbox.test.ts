import { describe, expect, it } from 'vitest';
import { coreConfigSection } from './config/core-section.js';
import { validateConfig } from './config/load.js';
import type { PushTarget } from './contracts.js';
import { createContext, ctxGet, type Context } from './context.js';
import { Outbox, OUTBOX_MESSAGE, type ResumeHooks } from './outbox.js';
import { textReply, type Reply } from './reply.js';
import type { OutboxStore } from './store/contracts.js';
import { createMemoryStores } from './store/memory.js';
import { memoryLogger } from './testing/index.js';

const CLAIM_MS = 10_000;
const target: PushTarget = { receiver: 'zhangsan', isGroup: false };
const never = (): Promise<never> => new Promise(() => {});
/** A send that never returns (its process dies during it); `reached` resolves once it was called. */
function cutOff() {
  let reached!: () => void;
  const called = new Promise<void>((resolve) => (reached = resolve));
  return { called, send: () => (reached(), never()) };
}

/** One store shared by "processes" (Outbox instances with their own owner), on a clock the test moves. */
function world(raw: Record<string, unknown> = {}) {
  let now = 1_700_000_000_000;
  const { outbox: store, leases } = createMemoryStores({ now: () => now });
  const { config } = validateConfig({ reply_timeout_seconds: 60, error_reply: 'sorry', ...raw }, [coreConfigSection]);
  const sent: Array<{ by: string; reply: Reply }> = [];
  const { logger, lines } = memoryLogger();
  /** A process: its outbox and the hooks a channel would give it; `answer` is its bot. */
  const process = (owner: string, answer: (context: Context) => Promise<Reply | undefined> = async (c) => textReply(`re:${c.content}`), outboxStore: OutboxStore = store) => {
    const outbox = new Outbox('test', { store: outboxStore, leases, owner, logger, config, claimMs: CLAIM_MS, now: () => now });
    const push = async (_target: PushTarget, reply: Reply) => void sent.push({ by: owner, reply });
    // What the pipeline does: the bot's reply goes through the record on the Context.
    const handle = async (context: Context) => {
      const reply = await answer(context);
      if (reply) await ctxGet(context, OUTBOX_MESSAGE)!.send(reply, () => push(target, reply));
    };
    const hooks: ResumeHooks = { rebuild: (message) => createContext({ type: 'TEXT', content: String(message), channel: 'test' }), handle, push };
    /** Accepted (recorded) when it resolves; `handled` settles when the handling does. */
    const receive = async (key: string, text: string) => {
      const durable = await outbox.accept(key, text, target);
      return { durable, handled: durable?.handle(createContext({ type: 'TEXT', content: text, channel: 'test' }), handle) };
    };
    return { outbox, hooks, receive, push };
  };
  return { store, sent, lines, process, texts: () => sent.map((s) => s.reply.content), advance: (ms: number) => (now += ms) };
}

describe('Outbox', () => {
  it('leaves nothing behind for a message answered to the end', async () => {
    const w = world();
    const a = w.process('a');
    await (await a.receive('m1', 'hello')).handled;
    expect(w.texts()).toEqual(['re:hello']);
    expect(await w.store.unfinished({ olderThanMs: 0 })).toEqual([]);
  });

  it('accepts a message id once while it is recorded (dedupe after that is the seen store\'s)', async () => {
    const w = world();
    const a = w.process('a', never);
    expect((await a.receive('m1', 'hello')).durable).toBeDefined();
    expect(await a.outbox.accept('m1', 'hello', target)).toBeUndefined();
  });

  it("handles a dead process's unanswered message again once its claim runs out, in one instance of two", async () => {
    const w = world();
    await w.process('a', never).receive('m1', 'where is the meeting?');
    const [b, c] = [w.process('b'), w.process('c')];
    expect(await b.outbox.start(b.hooks)).toBe(0); // a's claim still holds
    w.advance(CLAIM_MS + 1);
    const taken = await Promise.all([b.outbox.sweep(), c.outbox.start(c.hooks)]);
    expect(taken.sort()).toEqual([0, 1]);
    await Promise.all([b.outbox.idle(), c.outbox.idle()]);
    expect(w.texts()).toEqual(['re:where is the meeting?']);
    expect(await w.store.unfinished({ olderThanMs: 0 })).toEqual([]);
    b.outbox.stop();
    c.outbox.stop();
  });

  it("takes up a dead process's message while it holds more of its own than one sweep reads (1000)", async () => {
    const w = world();
    // b is busy: 1200 questions in hand (its bot never answers them), all older than the dead process's one.
    const b = w.process('b', async (c) => (String(c.content).startsWith('busy:') ? never() : textReply(`re:${c.content}`)));
    for (let i = 0; i < 1200; i++) await b.receive(`busy${i}`, `busy: q${i}`);
    w.advance(1);
    await w.process('a', never).receive('m1', 'where is the meeting?');
    w.advance(CLAIM_MS + 1);
    await b.outbox.renew(); // b's own claims hold; a's ran out
    expect(await b.outbox.start(b.hooks)).toBe(1);
    await b.outbox.idle();
    expect(w.texts()).toEqual(['re:where is the meeting?']);
    b.outbox.stop();
  });

  it('sends the error reply, once and without the bot, to a message resumed past reply_timeout_seconds', async () => {
    const w = world();
    await w.process('a', never).receive('m1', 'slow question');
    w.advance(61_000);
    let asked = 0;
    const b = w.process('b', async () => (asked++, textReply('late')));
    expect(await b.outbox.start(b.hooks)).toBe(1);
    await b.outbox.idle();
    expect(w.sent).toEqual([{ by: 'b', reply: { type: 'ERROR', content: 'sorry' } }]);
    expect(asked).toBe(0);
    expect(await b.outbox.sweep()).toBe(0);
    b.outbox.stop();
  });

  it('sends an unconfirmed reply once more after a restart, and gives up on a resend that was cut off too', async () => {
    const w = world();
    const a = w.process('a');
    const durable = await a.outbox.accept('m1', 'question', target);
    const dies = cutOff(); // the process dies while WeCom is asked
    void durable!.send(textReply('the answer'), dies.send);
    await dies.called;
    w.advance(CLAIM_MS + 1);
    // b's push is cut off as well (its process dies too): c must not send a third time.
    const b = w.process('b');
    const diesToo = cutOff();
    expect(await b.outbox.start({ ...b.hooks, push: diesToo.send })).toBe(1);
    await diesToo.called;
    expect(w.lines.some((l) => l.includes('sending it once more'))).toBe(true);
    w.advance(CLAIM_MS + 1);
    const c = w.process('c');
    expect(await c.outbox.start(c.hooks)).toBe(1);
    await c.outbox.idle();
    expect(w.sent).toEqual([]);
    expect(w.lines.some((l) => l.includes('giving up (it may have arrived)'))).toBe(true);
    expect(await w.store.unfinished({ olderThanMs: 0 })).toEqual([]);
    b.outbox.stop();
    c.outbox.stop();
  });

  it('resends only the reply that was not confirmed; the message is not asked again', async () => {
    const w = world();
    const a = w.process('a');
    const durable = (await a.outbox.accept('m1', 'draw a cat', target))!;
    await durable.send(textReply('drawing…'), () => a.push(target, textReply('drawing…')));
    const dies = cutOff();
    void durable.send(textReply('here it is'), dies.send);
    await dies.called;
    w.advance(CLAIM_MS + 1);
    let asked = 0;
    const b = w.process('b', async () => (asked++, textReply('again')));
    expect(await b.outbox.start(b.hooks)).toBe(1);
    await b.outbox.idle();
    expect(w.texts()).toEqual(['drawing…', 'here it is']);
    expect(asked).toBe(0);
    b.outbox.stop();
  });

  it('keeps media replies out of the store (Buffers), so their message stays open until handled', async () => {
    const w = world();
    const durable = (await w.process('a').outbox.accept('m1', 'a picture', target))!;
    let during: unknown;
    await durable.send({ type: 'IMAGE', content: { data: Buffer.from('png'), filename: 'a.png' } }, async () => {
      during = (await w.store.get<{ reply?: unknown }>('test:m:m1'))?.payload.reply;
    });
    expect(during).toBeUndefined();
    expect(await w.store.get('test:m:m1')).toBeDefined();
  });

  it('gives up on a message handled again three times without finishing: the error reply instead', async () => {
    const w = world({ reply_timeout_seconds: 3600 });
    await w.process('a', never).receive('m1', 'crashes the bot');
    for (const owner of ['b', 'c', 'd']) {
      w.advance(CLAIM_MS + 1);
      const p = w.process(owner, never);
      expect(await p.outbox.start(p.hooks)).toBe(1);
      p.outbox.stop();
    }
    w.advance(CLAIM_MS + 1);
    const e = w.process('e');
    expect(await e.outbox.start(e.hooks)).toBe(1);
    await e.outbox.idle();
    expect(w.sent).toEqual([{ by: 'e', reply: { type: 'ERROR', content: 'sorry' } }]);
    expect(w.lines.some((l) => l.includes('handled again 3 times and never finished'))).toBe(true);
    e.outbox.stop();
  });

  it('keeps a long handling its own by renewing; one that stalled past its claim drops its reply for the taker', async () => {
    const w = world();
    const a = w.process('a');
    const durable = (await a.outbox.accept('m1', 'long', target))!;
    w.advance(CLAIM_MS / 2);
    await a.outbox.renew();
    w.advance(CLAIM_MS * 0.7);
    const b = w.process('b');
    expect(await b.outbox.start(b.hooks)).toBe(0); // renewed: still a's

    w.advance(CLAIM_MS + 1); // a stalls past its claim: b takes the message over and answers it
    expect(await b.outbox.sweep()).toBe(1);
    await b.outbox.idle();
    expect(await durable.send(textReply('from a'), () => a.push(target, textReply('from a')))).toBe(false);
    expect(w.texts()).toEqual(['re:long']);
    b.outbox.stop();
  });

  it('keeps what it holds past the records\' claims by renewing one lease, not each record; a stall past the lease gives them up', async () => {
    const w = world();
    let claims = 0;
    const counting: OutboxStore = Object.assign(Object.create(w.store) as OutboxStore, { claim: (...args: Parameters<OutboxStore['claim']>) => (claims++, w.store.claim(...args)) });
    const a = w.process('a', undefined, counting);
    for (let i = 0; i < 50; i++) await a.outbox.accept(`m${i}`, 'waiting its turn', target);
    const b = w.process('b');
    expect(await b.outbox.start(b.hooks)).toBe(0);
    for (let i = 0; i < 6; i++) {
      w.advance(CLAIM_MS / 3);
      await a.outbox.renew();
    }
    expect(await b.outbox.sweep()).toBe(0); // every record's claim ran out, but a is alive
    expect(claims).toBe(0); // one lease renewed, no record touched

    w.advance(CLAIM_MS + 1); // a stalls past its lease: b takes its records over
    expect(await b.outbox.sweep()).toBe(50);
    await a.outbox.renew(); // late: a asks each record, and lets go of what b took
    expect(w.lines.filter((l) => l.includes('claim lost'))).toHaveLength(50);
    b.outbox.stop();
  });

  it('does not take a record being finished for one lost when a renewal finds it gone', async () => {
    const w = world();
    // A store whose done removes the record, then keeps the caller waiting (a slow disk).
    let doneReturns!: () => void;
    const slowDone: OutboxStore = Object.assign(Object.create(w.store) as OutboxStore, {
      done: async (id: string) => {
        await w.store.done(id);
        await new Promise<void>((resolve) => (doneReturns = resolve));
      },
    });
    const a = w.process('a', undefined, slowDone);
    await a.outbox.accept('m1', 'hello', target);
    w.advance(CLAIM_MS / 2);
    const finished = a.outbox.finish('test:m:m1');
    await a.outbox.renew(); // the record is gone, but it is ours being finished, not taken over
    doneReturns();
    await finished;
    expect(w.lines.filter((l) => l.includes('claim lost'))).toEqual([]);
  });

  it('answers a message it could not record (the store is down), and says so', async () => {
    const w = world();
    // The memory store with a failing add (its other methods through the prototype).
    const broken: OutboxStore = Object.assign(Object.create(w.store) as OutboxStore, { add: () => Promise.reject(new Error('store down')) });
    const a = w.process('a', undefined, broken);
    await (await a.receive('m1', 'hello')).handled;
    expect(w.texts()).toEqual(['re:hello']);
    expect(w.lines.some((l) => l.includes('without crash protection'))).toBe(true);
  });
});
