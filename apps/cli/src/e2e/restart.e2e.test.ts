import { nextMsgId } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startStack, type Stack } from './stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The real process on the default disk store; `crashAndRestart` starts it again in the same folder (same data_dir). */
async function durableBot() {
  const s = (stack = await startStack({ wechatcomapp_passive_reply_ms: 0 }));
  const say = (text: string, msgId = nextMsgId()) => s.post('zhangsan', 'text', { Content: text, MsgId: msgId });
  const texts = () => s.textsTo('zhangsan');
  return {
    openai: s.openai,
    say,
    texts,
    received: (count: number) => s.receive('zhangsan', count),
    /** kill -9 once the bot confirmed every reply WeCom got (killed before, the outbox sends it once more), then `wecom-bot start` again on the same data_dir. */
    async crashAndRestart() {
      await expect.poll(() => s.bot.stderr().split('\n').filter((l) => l.includes('"msg":"reply sent"')).length, { timeout: 8000, interval: 20 }).toBeGreaterThanOrEqual(texts().length);
      await s.crash();
      await s.restart();
    },
  };
}

describe('state kept on disk across a crash (store "disk", the default)', { timeout: 60_000 }, () => {
  it("after kill -9, WeCom's retry of a message already answered is not answered again, and the conversation goes on", async () => {
    const s = await durableBot();
    s.openai.setResponse('chat', { content: '会议在三楼。' }, { content: '您刚才问的是会议地点。' });
    const msgId = nextMsgId();
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await s.received(1);

    await s.crashAndRestart();
    // WeCom did not see our answer to the first attempt, so it retries the same MsgId.
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await s.say('我刚才问了什么？');
    await s.received(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.texts()).toEqual(['会议在三楼。', '您刚才问的是会议地点。']);
    expect(s.openai.requestsTo('chat')).toHaveLength(2);
    // The history survived the crash: the second question carries the first turn.
    expect(s.openai.requestsTo('chat')[1]!.json.messages.map((m: { content: string }) => m.content)).toEqual(expect.arrayContaining(['会议在哪里？', '会议在三楼。', '我刚才问了什么？']));
  });

  it('#model chosen by an admin survives the crash', async () => {
    const s = await durableBot();
    await s.say(`#auth ${ADMIN_PASSWORD}`);
    await s.say('#model gpt-4.1');
    await s.received(2);
    await s.crashAndRestart();
    s.openai.setResponse('chat', { content: 'ok' });
    await s.say('你好');
    await s.received(3);
    expect(s.openai.requestsTo('chat').at(-1)!.json.model).toBe('gpt-4.1');
  });
});
