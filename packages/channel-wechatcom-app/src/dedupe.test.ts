import { createMemoryStores } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { ReceivedMessages, dedupeKey } from './dedupe.js';
import { parseMessage } from './xml/parse-message.js';
import { inboundXml } from './testing/callback-client.js';

describe('ReceivedMessages', () => {
  const answerOnce = (answers: string[], answer: string | undefined) => async () => (answers.push('asked'), answer);

  it('answers a message once within the TTL, gives its retries the same answer, and forgets it after', async () => {
    let now = 0;
    const received = new ReceivedMessages(createMemoryStores({ now: () => now }).seen, 1000);
    const asked: string[] = [];
    const repeats: boolean[] = [];
    expect(await received.receive('a', { answer: answerOnce(asked, '<xml>passive</xml>') }, (answered) => repeats.push(answered))).toBe('<xml>passive</xml>');
    now = 999;
    expect(await received.receive('a', { answer: answerOnce(asked, 'other') }, (answered) => repeats.push(answered))).toBe('<xml>passive</xml>');
    now = 2000;
    expect(await received.receive('a', { answer: answerOnce(asked, 'fresh') }, (answered) => repeats.push(answered))).toBe('fresh');
    expect(asked).toHaveLength(2);
    expect(repeats).toEqual([true]);
  });

  it('a retry while the first attempt is still being answered shares its answer', async () => {
    const received = new ReceivedMessages(createMemoryStores().seen);
    let release!: (answer: string) => void;
    const gate = new Promise<string>((resolve) => (release = resolve));
    const first = received.receive('b', { answer: () => gate }, () => undefined);
    const retry = received.receive('b', { answer: async () => 'never asked' }, () => undefined);
    release('<xml>late</xml>');
    expect(await Promise.all([first, retry])).toEqual(['<xml>late</xml>', '<xml>late</xml>']);
  });

  it('remembers through the store: a second process (a restart) on the same store does not answer again', async () => {
    const stores = createMemoryStores();
    await new ReceivedMessages(stores.seen).receive('c', { answer: async () => undefined }, () => undefined);
    const asked: string[] = [];
    const afterRestart = new ReceivedMessages(stores.seen);
    expect(await afterRestart.receive('c', { answer: answerOnce(asked, 'again') }, () => undefined)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('keys messages by MsgId and events by sender, CreateTime and event', () => {
    const text = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'text', Content: 'x', MsgId: '123' }));
    const event = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'enter_agent' }));
    expect(dedupeKey(text)).toBe('id:123');
    expect(dedupeKey(event)).toBe('ev:u:5:enter_agent:');
  });

  it('tells apart two menu clicks of one member within the same second (EventKey)', () => {
    const click = (key: string) => parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'click', EventKey: key }));
    expect(dedupeKey(click('MENU_HELP'))).not.toBe(dedupeKey(click('MENU_ABOUT')));
    expect(dedupeKey(click('MENU_HELP'))).toBe(dedupeKey(click('MENU_HELP')));
  });
});
