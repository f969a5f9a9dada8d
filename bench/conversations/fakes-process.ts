/**
 * Child process of bench/conversations.ts (pinned to the load generator's core): the fake
 * WeCom API, recording each message/send with its arrival time, and the fake OpenAI, answering
 * every chat after BENCH_MODEL_DELAY_MS (default 2000). Sends { wecomBase, openaiBase } once
 * listening; answers "report" with a FakesReport.
 */
import { startFakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeWecomApi } from '@wecom-bot/channel-wechatcom-app/testing';

export interface FakesReport {
  /** [member, epoch ms] of each message/send that succeeded. */
  sends: Array<[string, number]>;
  /** message/send calls answered with an error (or cut). */
  failedSends: number;
  gettokens: number;
  chats: number;
}

const [corpId, secret, apiKey] = process.argv.slice(2) as [string, string, string];
const modelDelayMs = Number(process.env.BENCH_MODEL_DELAY_MS ?? 2000);

const sends: Array<[string, number]> = [];
let failedSends = 0;
let gettokens = 0;
const wecom = await FakeWecomApi.start({
  corpId,
  secret,
  onCall: (call) => {
    if (call.api === 'gettoken') gettokens += 1;
    if (call.api !== 'message/send') return;
    if (call.answered === 0 && !call.cut) sends.push([String((call.json as { touser?: string }).touser), Date.now()]);
    else failedSends += 1;
  },
});
// The fake keeps every call for assertions; a benchmark needs only the counts above.
const forget = setInterval(() => wecom.calls.splice(0), 1000);

const openai = await startFakeOpenAI({
  apiKey,
  handlers: {
    chat: (request) => {
      const messages = (request.json?.messages ?? []) as Array<{ role: string; content: string }>;
      return { content: `answer to: ${messages.at(-1)?.content ?? ''}`, delayMs: modelDelayMs };
    },
  },
});

process.on('message', (message: string) => {
  if (message !== 'report') return;
  const report: FakesReport = { sends, failedSends, gettokens, chats: openai.requestsTo('chat').length };
  process.send?.(report);
});
process.on('disconnect', () => {
  clearInterval(forget);
  void Promise.all([wecom.close(), openai.close()]).finally(() => process.exit(0));
});
process.send?.({ wecomBase: wecom.baseUrl, openaiBase: openai.baseURL });
