// The outbox with real processes: `wecom-bot start` on the default disk store, killed with
// SIGKILL mid-answer and started again on the same data_dir: the same instance (its id is kept
// in data_dir), so it takes its work up at start (instance-id.e2e.test.ts).
import { nextMsgId } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function durableBot() {
  const s = (stack = await startStack({ wechatcomapp_passive_reply_ms: 0 }));
  return {
    wecom: s.wecom,
    openai: s.openai,
    bot: () => s.bot,
    say: (text: string, msgId = nextMsgId()) => s.post('zhangsan', 'text', { Content: text, MsgId: msgId }),
    texts: () => s.textsTo('zhangsan'),
    /** kill -9, then `wecom-bot start` again on the same data_dir. */
    async crashAndRestart() {
      await s.crash();
      await s.restart();
    },
  };
}

/** Long enough for a second (wrong) reply to have arrived if one were coming. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

describe('the outbox across kill -9 (store "disk", the default)', { timeout: 60_000 }, () => {
  it('a message acked while its answer was pending is answered after the restart, once', async () => {
    const s = await durableBot();
    // The first answer never comes in time: the process dies while the model is still writing.
    s.openai.setResponse('chat', { content: '太晚了', delayMs: 50_000 }, { content: '会议在三楼。' });
    const msgId = nextMsgId();
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await expect.poll(() => s.openai.requestsTo('chat').length, { timeout: 10_000 }).toBe(1);

    await s.crashAndRestart();
    await expect.poll(() => s.texts(), { timeout: 40_000, interval: 100 }).toEqual(['会议在三楼。']);
    // WeCom's retry of the same message (had it not seen our ack) is not answered again.
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await settle();
    expect(s.texts()).toEqual(['会议在三楼。']);
    expect(s.openai.requestsTo('chat')).toHaveLength(2);
    expect(s.bot().stderr()).toContain('handling it again');
  });

  it('a reply recorded but not confirmed by WeCom is sent once after the restart, without asking the model again', async () => {
    const s = await durableBot();
    s.openai.setResponse('chat', { content: '会议在三楼。' });
    // WeCom reads the send and never answers: the process dies waiting.
    s.wecom.failNext('message/send', { cut: 'hang' });
    expect((await s.say('会议在哪里？')).status).toBe(200);
    await expect.poll(() => s.wecom.callsTo('message/send').length, { timeout: 10_000 }).toBe(1);

    await s.crashAndRestart();
    await expect.poll(() => s.texts(), { timeout: 40_000, interval: 100 }).toEqual(['会议在三楼。']);
    await settle();
    expect(s.texts()).toEqual(['会议在三楼。']);
    expect(s.openai.requestsTo('chat')).toHaveLength(1);
    expect(s.bot().stderr()).toContain('sending it once more');
  });
});
