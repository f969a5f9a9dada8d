import { afterEach, describe, expect, it } from 'vitest';
import { startChatbot } from '../testing/index.js';

/*
 * Mode 2 (doc aispeech/platform/3rdparty_api): a GET with the slots as query parameters and
 * appid/bid/requestid/uid headers, answered {"err_code":0,"data_list":[{slot: value}]}. The doc
 * gives no captured request; these are built from its field list. No crypto in this mode.
 */
describe('legacy third-party service API (mode 2) over loopback', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  const headers = (uid: string) => ({ appid: 'app-1', bid: 'bid-1', requestid: `r-${uid}`, uid });

  it('fills the output slot with the bot answer', async () => {
    const started = await startChatbot();
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/api?question=${encodeURIComponent('今天吃什么')}`, { headers: headers('u1') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ err_code: 0, data_list: [{ answer: '答：今天吃什么' }] });
  });

  it('uses the configured input and output slots', async () => {
    const started = await startChatbot({ wechat_chatbot_api_input_slot: 'q', wechat_chatbot_api_output_slot: 'reply' });
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/api?city=beijing&q=hello`, { headers: headers('u2') });
    expect(await res.json()).toEqual({ err_code: 0, data_list: [{ reply: '答：hello' }] });
  });

  it('refuses a request without uid, in the platform shape, and keeps serving', async () => {
    const started = await startChatbot();
    close = started.close;
    const bad = await fetch(`${started.url}/wxchatbot/api?q=hi`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ err_code: 400, data_list: [] });
    expect(started.app.logLines.some((l) => l.includes('no uid header'))).toBe(true);
    const good = await fetch(`${started.url}/wxchatbot/api?q=hi`, { headers: headers('u3') });
    expect(await good.json()).toEqual({ err_code: 0, data_list: [{ answer: '答：hi' }] });
  });

  it('with wechat_chatbot_api_key set, answers only requests carrying key=<it>, which never becomes the text', async () => {
    const key = 'mode2-access-key-0123';
    const started = await startChatbot({ wechat_chatbot_api_key: key });
    close = started.close;
    for (const query of ['q=hi', 'q=hi&key=wrong', 'q=hi&key=']) {
      const refused = await fetch(`${started.url}/wxchatbot/api?${query}`, { headers: headers('u4') });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ err_code: 403, data_list: [] });
    }
    const ok = await fetch(`${started.url}/wxchatbot/api?key=${key}&q=hi`, { headers: headers('u4') });
    expect(await ok.json()).toEqual({ err_code: 0, data_list: [{ answer: '答：hi' }] });
    expect(started.app.logLines.join('\n')).not.toContain(key);
  });

  it('without wechat_chatbot_api_key listens on loopback only, whatever wechat_chatbot_host says, and says why', async () => {
    const started = await startChatbot({ wechat_chatbot_host: '0.0.0.0' });
    close = started.close;
    expect(started.channel.address?.address).toBe('127.0.0.1');
    expect(started.app.logLines.join('\n')).toMatch(/wechat_chatbot_api_key is empty.*listening on 127\.0\.0\.1 only, not 0\.0\.0\.0/);
  });

  it('listens on wechat_chatbot_host with a key, or when explicitly made public', async () => {
    for (const raw of [{ wechat_chatbot_api_key: 'mode2-access-key-0123' }, { wechat_chatbot_api_public: true }]) {
      const started = await startChatbot({ wechat_chatbot_host: '0.0.0.0', ...raw });
      expect(started.channel.address?.address).toBe('0.0.0.0');
      await started.close();
    }
  });
});
