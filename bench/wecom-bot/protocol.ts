/** What bench/wecom-bot.ts and its fake-WeCom child process say to each other over IPC. */
export type Command =
  | { kind: 'echo'; count: number; gapMs: number }
  | { kind: 'push'; count: number; gapMs: number; text: string; until: 'first' | 'final'; expect?: string; timeoutMs: number }
  | { kind: 'await-final'; expect: string; timeoutMs: number };

export interface EchoReport {
  rtts: number[];
}

/** One batch of messages as the fake saw it; times in ms from the push. */
export interface BatchReport {
  pushed: number;
  firsts: number[];
  answered: number;
  /** Final frames whose content was not the whole answer. */
  wrong: number;
  framesPerAnswer: number[];
  /** First push to last final frame. */
  totalMs: number;
  /** How long the fake took to push the batch. */
  pushMs: number;
  respondFrames: number;
  sendMsg: number;
}
