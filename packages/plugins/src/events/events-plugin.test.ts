import { Action, createContext, definePlugin, textReply, type Context } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

const EVENTS = ['enter_agent', 'subscribe', 'unsubscribe', 'LOCATION', 'click', 'view', 'location_select'];

function eventMessage(name: string, fields: Record<string, string> = {}, senderId = 'alice'): Context {
  return createContext({ type: 'EVENT', content: name, channel: 'recording', senderId, raw: { fields: { Event: name, ...fields } } });
}

/** A bot that fails every call: had an event reached it, the pipeline would send error_reply. */
const failingBot = { name: 'failing', reply: async () => Promise.reject(new Error('the bot must not be asked')) };

describe('events plugin', () => {
  it('keeps every event from the bot and answers none of them, not even with an error', async () => {
    const app = await pluginTestApp();
    app.useBot(failingBot);
    for (const [i, name] of EVENTS.entries()) await app.pipeline.handle(eventMessage(name, {}, `member${i}`));
    expect(app.recorder.sent).toEqual([]);
    expect(app.logLines.filter((l) => l.includes('event handled without the bot'))).toHaveLength(EVENTS.length);
  });

  it('answers subscribe with subscribe_msg, {trigger_prefix} being the first single_chat_prefix', async () => {
    const app = await pluginTestApp({ subscribe_msg: '感谢关注！输入{trigger_prefix}#help 查看指令。', single_chat_prefix: ['bot', '@bot'] });
    app.useBot(failingBot);
    await app.pipeline.handle(eventMessage('subscribe'));
    await app.pipeline.handle(eventMessage('enter_agent'));
    expect(sentTexts(app.recorder)).toEqual(['感谢关注！输入bot#help 查看指令。']);
  });

  it('lets any plugin see every event and answer a menu click before it', async () => {
    const app = await pluginTestApp();
    app.useBot(failingBot);
    const seen: string[] = [];
    await app.plugins.add(
      definePlugin({
        name: 'menu',
        onReceiveMessage: ({ context }) => void seen.push(`${context.type}:${context.content}`),
        onHandleContext(event) {
          const fields = (event.context.raw as { fields: Record<string, string> }).fields;
          if (event.context.content !== 'click' || fields.EventKey !== 'MENU_HOURS') return Action.CONTINUE;
          event.reply = textReply('营业时间：9:00–18:00');
          return Action.BREAK_PASS;
        },
      }),
      { source: 'test' },
    );
    await app.pipeline.handle(eventMessage('click', { EventKey: 'MENU_HOURS' }));
    await app.pipeline.handle(eventMessage('click', { EventKey: 'MENU_OTHER' }, 'bob'));
    await app.pipeline.handle(eventMessage('enter_agent', {}, 'carol'));
    expect(sentTexts(app.recorder)).toEqual(['营业时间：9:00–18:00']);
    expect(seen).toEqual(['EVENT:click', 'EVENT:click', 'EVENT:enter_agent']);
  });

  it('leaves text to the bot', async () => {
    const app = await pluginTestApp({ subscribe_msg: 'hi' });
    await app.pipeline.handle(textMessage('subscribe'));
    expect(sentTexts(app.recorder)).toEqual(['subscribe']);
  });
});
