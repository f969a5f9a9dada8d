/** The conversation benchmark's figures, from what the sender, the fakes and /proc saw. */
import type { FakesReport } from './fakes-process.js';
import type { OpenLoopResult, ScheduledCallback } from './open-loop.js';

export interface BotUsage {
  cpuMs: number;
  peakRssMib: number[];
  logLevels: Record<string, number>;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');

export function printFigures(callbacks: ScheduledCallback[], spreadMs: number, sent: OpenLoopResult, fakes: FakesReport, usage: BotUsage): { missing: number; doubled: number } {
  const users = callbacks.length;
  const gap = spreadMs / users;
  const acks = sent.ackMs.filter(Number.isFinite).sort((a, b) => a - b);

  // Answers per member: message/send calls plus passive replies in the callback answer.
  const answers = new Map<string, number[]>();
  for (const [member, at] of fakes.sends) answers.set(member, [...(answers.get(member) ?? []), at]);
  for (const member of sent.passive) answers.set(member, [...(answers.get(member) ?? []), NaN]);
  let missing = 0;
  let doubled = 0;
  const answerMs: number[] = [];
  let lastAnswer = 0;
  callbacks.forEach(({ member }, i) => {
    const times = answers.get(member) ?? [];
    if (times.length === 0) missing += 1;
    if (times.length > 1) doubled += 1;
    const first = Math.min(...times.filter(Number.isFinite));
    if (Number.isFinite(first)) {
      answerMs.push(first - (sent.startedAt + i * gap));
      lastAnswer = Math.max(lastAnswer, first);
    }
  });
  answerMs.sort((a, b) => a - b);
  const known = new Set(callbacks.map((c) => c.member));
  const strangers = [...answers.keys()].filter((m) => !known.has(m)).length;

  console.log(`callback acks:    p50 ${ms(pct(acks, 0.5))}, p99 ${ms(pct(acks, 0.99))}, max ${ms(acks.at(-1) ?? NaN)}; ≥ 5 s (WeCom would retry): ${acks.filter((a) => a >= 5000).length}`);
  console.log(`                  acks ≥ 100 ms by when they were due (per 0.5 s of the spread): ${slowAcksByHalfSecond(sent.ackMs, gap)}`);
  console.log(`                  statuses ${JSON.stringify(sent.statuses)}, connection errors ${JSON.stringify(sent.errors)}, ${sent.connections} keep-alive connections opened, sender at most ${sent.maxLagMs.toFixed(0)} ms late`);
  console.log(`answers:          ${users - missing}/${users} members answered; missing ${missing}, answered more than once ${doubled}${strangers ? `, answers to unknown members ${strangers}` : ''}; ${sent.passive.length} passive (in the callback answer)`);
  console.log(`                  message/send ok ${fakes.sends.length}, failed ${fakes.failedSends}; gettoken ${fakes.gettokens}; chat requests to the model ${fakes.chats}`);
  console.log(`answer latency:   p50 ${ms(pct(answerMs, 0.5))}, p99 ${ms(pct(answerMs, 0.99))}, max ${ms(answerMs.at(-1) ?? NaN)} (from the message's scheduled time; the model alone takes its delay)`);
  console.log(`last answer:      ${lastAnswer ? `${((lastAnswer - sent.startedAt) / 1000).toFixed(2)} s after the first message` : 'none'} (messages spread over ${(spreadMs / 1000).toFixed(1)} s)`);
  console.log(`bot process:      CPU ${usage.cpuMs.toFixed(0)} ms in all, ${((usage.cpuMs * 1000) / users).toFixed(0)} µs per conversation; peak RSS ${usage.peakRssMib.map((r) => `${r.toFixed(0)} MiB`).join(' + ')}`);
  console.log(`bot log lines:    ${JSON.stringify(usage.logLevels)}`);
  return { missing, doubled };
}

/** How many acks took ≥ 100 ms, by the half second of the spread they were due in: a stall shows as a bump. */
function slowAcksByHalfSecond(ackMs: number[], gapMs: number): string {
  const counts: number[] = [];
  ackMs.forEach((ack, i) => {
    const slot = Math.floor((i * gapMs) / 500);
    counts[slot] = (counts[slot] ?? 0) + (ack >= 100 ? 1 : 0);
  });
  return Array.from(counts, (c) => c ?? 0).join(' ');
}
