// The outbox after a restart with the kept instance id (<data_dir>/state/instance-id): its
// own unfinished work is taken up at once, not after its old claims run out.
import { describe, expect, it } from 'vitest';
import { coreConfigSection } from './config/core-section.js';
import { validateConfig } from './config/load.js';
import type { PushTarget } from './contracts.js';
import { createContext, ctxGet, type Context } from './context.js';
import { Outbox, OUTBOX_MESSAGE, type ResumeHooks } from './outbox.js';
import { textReply, type Reply } from './reply.js';
import { createMemoryStores } from './store/memory.js';
import { memoryLogger } from './testing/index.js';

const target: PushTarget = { receiver: 'zhangsan', isGroup: false };
const never = (): Promise<never> => new Promise(() => {});

/** One store, on a clock that never moves: no claim ever runs out in these tests. */
function world() {
  const now = () => 1_700_000_000_000;
  const store = createMemoryStores({ now }).outbox;
  const { config } = validateConfig({ reply_timeout_seconds: 60 }, [coreConfigSection]);
  const sent: string[] = [];
  const { logger } = memoryLogger();
  const start = (owner: string, answer: (context: Context) => Promise<Reply> = async (c) => textReply(`re:${c.content}`)) => {
    const outbox = new Outbox('test', { store, owner, logger, config, claimMs: 60_000, now });
    const handle = async (context: Context) => {
      const reply = await answer(context);
      await ctxGet(context, OUTBOX_MESSAGE)!.send(reply, async () => void sent.push(reply.content as string));
    };
    const hooks: ResumeHooks = { rebuild: (message) => createContext({ type: 'TEXT', content: String(message), channel: 'test' }), handle, push: async (_t, reply) => void sent.push(reply.content as string) };
    const receive = async (key: string, text: string) => (await outbox.accept(key, text, target))?.handle(createContext({ type: 'TEXT', content: text, channel: 'test' }), handle);
    return { outbox, hooks, receive };
  };
  return { store, sent, start };
}

describe('Outbox across a restart with the same instance id', () => {
  it('takes up its own unanswered message at once, while another instance must still wait for the claim', async () => {
    const w = world();
    void w.start('host-1:a1b2', never).receive('m1', 'where is the meeting?');
    await expect.poll(() => w.store.unfinished({ olderThanMs: 0 })).toHaveLength(1);
    // The process died; another instance sweeps first, then the restarted one.
    const other = w.start('host-2:c3d4');
    expect(await other.outbox.start(other.hooks)).toBe(0);
    const restarted = w.start('host-1:a1b2');
    expect(await restarted.outbox.start(restarted.hooks)).toBe(1);
    await restarted.outbox.idle();
    expect(w.sent).toEqual(['re:where is the meeting?']);
    expect(await w.store.unfinished({ olderThanMs: 0 })).toEqual([]);
    other.outbox.stop();
    restarted.outbox.stop();
  });

  it('never takes up what it is answering right now, however often it sweeps', async () => {
    const w = world();
    let finish!: () => void;
    const answered = new Promise<void>((resolve) => (finish = resolve));
    const p = w.start('host-1:a1b2', async (c) => (await answered, textReply(`re:${c.content}`)));
    const sweeps = [p.outbox.start(p.hooks)];
    const handled = p.receive('m1', 'hello');
    for (let i = 0; i < 5; i++) sweeps.push(p.outbox.sweep());
    await expect.poll(() => w.store.unfinished({ olderThanMs: 0 })).toHaveLength(1);
    sweeps.push(p.outbox.sweep());
    expect((await Promise.all(sweeps)).reduce((a, b) => a + b, 0)).toBe(0);
    finish();
    await handled;
    expect(await p.outbox.sweep()).toBe(0);
    expect(w.sent).toEqual(['re:hello']);
    p.outbox.stop();
  });
});
