import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToPcm, makeTone } from '@wecom-bot/plugins/testing';
import { AGENT_ID, expectCleanStopWithoutSecrets, startStack, type Stack } from './stack.js';

// The default passive window (1 s) and voice answers to voice: one process, tests in order.
describe('wecom-bot start: voice answers and quick passive replies', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ voice_reply_voice: true });
  });
  afterAll(async () => s?.close());

  it('answers a voice message with voice: AMR uploaded with media/upload, sent as a voice message', async () => {
    const mediaId = s.wecom.addMedia(await makeTone(2, 'amr'), 'audio/amr', 'voice.amr');
    s.openai.setResponse('transcriptions', { text: '请用语音回答' });
    s.openai.setResponse('chat', { content: '好的，这是语音回答。' });
    expect(await s.post('zhouba', 'voice', { MediaId: mediaId, Format: 'amr' })).toEqual({ status: 200, body: '' });
    await s.receive('zhouba', 1);

    expect(s.openai.requestsTo('speech').at(-1)?.json.input).toBe('好的，这是语音回答。');
    const upload = s.wecom.uploads.at(-1)!;
    expect(upload.type).toBe('voice');
    expect(upload.data.subarray(0, 6).toString('latin1')).toBe('#!AMR\n');
    // The fake speaks one second of MP3; the member gets about that much AMR.
    const spoken = await decodeToPcm(upload.data, 'amr');
    expect(spoken.seconds).toBeGreaterThan(0.8);
    expect(spoken.seconds).toBeLessThan(1.5);
    expect(s.sentTo('zhouba')).toEqual([expect.objectContaining({ touser: 'zhouba', agentid: AGENT_ID, msgtype: 'voice', voice: { media_id: upload.mediaId } })]);
  });

  // After the first chat (the bot's first answer loads its tokenizer, ~0.7 s), answers come in milliseconds.
  it('answers a quick text reply inside the callback answer, without message/send', async () => {
    const answer = await s.post('sunqi', 'text', { Content: '你好' });
    expect(answer.status).toBe(200);
    expect(answer.reply).toContain('<ToUserName><![CDATA[sunqi]]></ToUserName>');
    expect(answer.reply).toContain('<Content><![CDATA[echo: 你好]]></Content>');
  });

  it('stops on SIGTERM with exit code 0, having sent nothing more, and its whole log never shows a secret', async () => {
    await expectCleanStopWithoutSecrets(s);
    expect(s.sentTo('sunqi')).toEqual([]);
    expect(s.sentTo('zhouba')).toHaveLength(1);
  });
});
