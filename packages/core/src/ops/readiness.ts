import { withinTime } from '../time-limit.js';

/** One part's answer to "can this instance take messages now?", with a word on why (never a secret). */
export interface ReadinessState {
  ready: boolean;
  detail: string;
}

export type ReadinessCheck = () => ReadinessState | Promise<ReadinessState>;

/** What /readyz answers: ready when every part is. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessState>;
}

/** How long one check may take: a probe waits a few seconds at most. */
const CHECK_MS = 2000;

/**
 * Named readiness checks. Core adds "channel" (not started until the channel says so) and
 * "store" (the state store answers a read); a channel replaces "channel" with its own
 * (listening, connected, standing by).
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly redact: (text: string) => string = (text) => text) {}

  set(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** A fixed state, e.g. `state("channel", true, "listening on port 9897")`. */
  state(name: string, ready: boolean, detail: string): void {
    this.checks.set(name, () => ({ ready, detail }));
  }

  async report(): Promise<ReadinessReport> {
    const names = [...this.checks.keys()];
    const states = await Promise.all(names.map((name) => this.run(this.checks.get(name)!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, states[i]!]));
    return { ready: states.every((s) => s.ready), checks };
  }

  private async run(check: ReadinessCheck): Promise<ReadinessState> {
    try {
      return await withinTime(Promise.resolve().then(check), CHECK_MS, `no answer within ${CHECK_MS / 1000}s`);
    } catch (error) {
      return { ready: false, detail: this.redact(error instanceof Error ? error.message : String(error)) };
    }
  }
}
