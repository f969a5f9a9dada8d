import { coreConfigSection } from './config/core-section.js';
import type { AppConfig } from './config/section.js';
import type { PushTarget } from './contracts.js';
import type { IntegrationServices } from './integration.js';
import type { Context } from './context.js';
import type { Logger } from './logger.js';
import { DurableMessage, type KeptReply, type MessageRecord, type OutboxLedger, type ReplyRecord } from './outbox-message.js';
import { errorReply, type Reply } from './reply.js';
import type { LeaseStore, OutboxEntry, OutboxStore } from './store/contracts.js';

export { DurableMessage, OUTBOX_MESSAGE } from './outbox-message.js';

/** What a channel gives the outbox to resume with: its Context builder, the pipeline, its push. */
export interface ResumeHooks {
  rebuild(message: unknown): Context | undefined;
  /** The pipeline's handler (through the channel, which logs a handler that throws). */
  handle(context: Context): Promise<void>;
  push(target: PushTarget, reply: Reply): Promise<void>;
}

export interface OutboxOptions {
  store: OutboxStore;
  /** This process among those sharing the store (IntegrationServices.instanceId). */
  owner: string;
  logger: Logger;
  /** Read live: reply_timeout_seconds (a resumed message's deadline) and error_reply. */
  config: AppConfig;
  /** How long a record stays ours unrenewed: how soon a restart or another instance takes up a dead one's work. */
  claimMs?: number;
  /**
   * Where this process says it is alive, one lease for all the records it holds: renewing it
   * is one write, where renewing each record's claim costs a write per record (thousands,
   * while a burst waits its turn). Without it, each record's claim is renewed.
   */
  leases?: LeaseStore;
  /** The store's clock (tests move it). */
  now?: () => number;
}

/**
 * The outbox a channel keeps in the configured stores; none over volatile ones (memory): a
 * record there dies with the process it should outlive, so it could never be resumed.
 */
export function channelOutbox(channel: string, services: IntegrationServices): Outbox | undefined {
  const { stores } = services;
  if (stores.volatile) return undefined;
  return new Outbox(channel, { store: stores.outbox, leases: stores.leases, owner: services.instanceId, logger: services.logger, config: services.config });
}

const MAX_RESUMES = 3;
// Safety net for records nobody can finish (a channel renamed): they still go, after a day.
const KEEP_MS = 24 * 60 * 60_000;

/**
 * Work that must finish across a crash, for one channel: an accepted message is recorded
 * before its callback is acknowledged, a reply before it is sent; each is done when finished.
 * Records are claimed by this process (renewed while held); `start` sweeps for records whose
 * claim ran out (their process died) and resumes them: a message is handled again (past its
 * deadline: the error reply), a reply is sent once more.
 */
export class Outbox implements OutboxLedger {
  readonly owner: string;
  readonly claimMs: number;
  readonly logger: Logger;
  readonly now: () => number;
  /** Records this process works on, with when their claim was last renewed. */
  private readonly held = new Map<string, number>();
  /** Held records being removed: not renewed (a renewal would find them gone and cry "lost"). */
  private readonly finishing = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private hooks: ResumeHooks | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private renewer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private renewing = false;
  /** When the alive lease was last renewed (undefined: not yet). */
  private leaseRenewedAt: number | undefined;

  constructor(
    readonly channel: string,
    private readonly options: OutboxOptions,
  ) {
    this.owner = options.owner;
    this.claimMs = options.claimMs ?? 10_000;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  private get store(): OutboxStore {
    return this.options.store;
  }

  /** Records a message before it is acknowledged. Undefined: already recorded (an earlier attempt is handled). */
  async accept(key: string, message: unknown, target: PushTarget): Promise<DurableMessage | undefined> {
    const id = `${this.channel}:m:${key}`;
    const record: MessageRecord = { target, message, receivedAt: this.now(), resumes: 0 };
    if (this.held.has(id)) return undefined; // ours, being handled
    // Held before it is added: a sweep meanwhile must not take our new record for a dead process's.
    this.hold(id);
    let added: boolean;
    try {
      added = await this.store.add({ id, kind: 'message', payload: record, owner: this.owner }, { claimMs: this.claimMs, ttlMs: KEEP_MS });
    } catch (error) {
      this.release(id);
      // The store is down: answering now is better than not at all; only a crash would lose it.
      this.logger.error({ err: error, id }, 'could not record the message in the outbox; answering it without crash protection');
      return new DurableMessage(this, id, record, false);
    }
    if (!added) {
      this.release(id);
      return undefined;
    }
    return new DurableMessage(this, id, record, true);
  }

  /** Sweeps now (resolving with what it took up) and every claimMs/2 for work whose claim ran out. */
  start(hooks: ResumeHooks): Promise<number> {
    this.hooks = hooks;
    this.sweeper ??= setInterval(() => void this.sweep(), this.claimMs / 2).unref();
    return this.sweep();
  }

  /** Stops sweeping. Held records are still renewed until finished: the pipeline drains them. */
  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.hooks = undefined;
  }

  /**
   * Claims and resumes each record of this channel whose claim ran out, or that is this
   * instance's own but not held (a restart with the kept instance id): how many it took up.
   */
  async sweep(): Promise<number> {
    const hooks = this.hooks;
    if (!hooks || this.sweeping) return 0;
    this.sweeping = true;
    let taken = 0;
    try {
      const alive = new Map<string, Promise<boolean>>();
      // Our own records in hand are skipped unread: under load they are thousands, and reading
      // them all every claimMs/2 held the event loop (tens of ms, acks late) for nothing.
      const prefix = `${this.channel}:`;
      const skip = (id: string) => !id.startsWith(prefix) || this.held.has(id);
      for (const entry of await this.store.unfinished<MessageRecord>({ olderThanMs: 0, limit: 1000, skip })) {
        if (entry.owner !== this.owner && entry.claimedUntil > this.now()) continue;
        if (entry.owner !== this.owner && (await this.isAlive(entry.owner, alive))) continue;
        const claimed = await this.store.claim<MessageRecord>(entry.id, this.owner, this.claimMs);
        if (!claimed) continue; // another instance was quicker
        this.hold(claimed.id);
        taken += 1;
        await this.resume(claimed, hooks).catch((error: unknown) => {
          // Let go without done: the claim runs out and a later sweep tries again.
          this.release(claimed.id);
          this.logger.warn({ err: error, id: claimed.id }, 'could not resume outbox work; trying again later');
        });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox sweep failed; trying again later');
    } finally {
      this.sweeping = false;
    }
    return taken;
  }

  /** Resolves when the work resumed so far has finished (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Renews the alive lease, or (without one) the claims held longer than a third of claimMs (the renewer's tick). */
  async renew(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      const now = this.now();
      // A lease renewed too late may have lapsed, and records of ours been taken over meanwhile:
      // then each record is asked once, as without a lease.
      if (!(await this.renewLease(now))) await this.renewHeld(now);
    } finally {
      this.renewing = false;
    }
  }

  /** True when the alive lease was renewed in time (nothing of ours can have been taken over). */
  private async renewLease(now: number): Promise<boolean> {
    const leases = this.options.leases;
    if (!leases) return false;
    const lapsed = this.leaseRenewedAt !== undefined && now - this.leaseRenewedAt >= this.claimMs;
    const renewed = await leases.acquire(this.aliveLease(this.owner), this.owner, this.claimMs).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not renew the outbox lease; renewing each claim instead');
      return false;
    });
    if (renewed) this.leaseRenewedAt = now;
    return renewed && !lapsed;
  }

  private aliveLease(owner: string): string {
    return `outbox:${this.channel}:${owner}`;
  }

  /** Whether `owner` still renews its alive lease (asked once per sweep and owner). */
  private isAlive(owner: string, known: Map<string, Promise<boolean>>): Promise<boolean> {
    const leases = this.options.leases;
    if (!leases) return Promise.resolve(false);
    let alive = known.get(owner);
    if (!alive) {
      alive = leases.holder(this.aliveLease(owner)).then((holder) => holder === owner, () => false);
      known.set(owner, alive);
    }
    return alive;
  }

  private async renewHeld(now: number): Promise<void> {
    for (const [id, since] of this.held) {
      if (now - since < this.claimMs / 3 || this.finishing.has(id)) continue;
      this.held.set(id, now);
      const claimed = await this.store.claim(id, this.owner, this.claimMs).catch((error: unknown) => {
        this.logger.warn({ err: error, id }, 'could not renew an outbox claim');
        return null;
      });
      // Undefined while still held and not finishing: another instance took it over (this process stalled past the claim).
      if (claimed === undefined && !this.finishing.has(id) && this.release(id)) this.logger.warn({ id }, 'outbox claim lost to another instance; it finishes this work');
    }
  }

  hold(id: string): void {
    this.held.set(id, this.now());
    this.renewer ??= setInterval(() => void this.renew(), this.claimMs / 3).unref();
  }

  /** Done: the record is removed, unless another instance took it over (it is theirs to finish). */
  async finish(id: string): Promise<void> {
    if (!this.held.has(id)) return;
    // Released only once done: a sweep must never see our own record unheld while it is still there.
    this.finishing.add(id);
    await this.store.done(id).catch((error: unknown) => this.logger.warn({ err: error, id }, 'could not mark outbox work done; it may be resumed once more'));
    this.release(id);
  }

  /** Replaces a held record's payload; false when another instance took it over (then it is theirs). */
  async update(id: string, payload: ReplyRecord): Promise<boolean> {
    if (this.held.has(id) && (await this.store.update(id, this.owner, payload))) return true;
    this.release(id);
    return false;
  }

  /** No longer ours to renew; true when it was held. */
  private release(id: string): boolean {
    this.finishing.delete(id);
    const held = this.held.delete(id);
    if (this.held.size === 0) {
      clearInterval(this.renewer);
      this.renewer = undefined;
    }
    return held;
  }

  /** Records a reply of its own (a message's second and later replies), held by this process. */
  async addReply(id: string, record: ReplyRecord): Promise<void> {
    this.hold(id); // before the add, as in accept
    try {
      await this.store.add({ id, kind: 'reply', payload: record, owner: this.owner }, { claimMs: this.claimMs, ttlMs: KEEP_MS });
    } catch (error) {
      this.release(id);
      throw error;
    }
  }

  track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private async resume(entry: OutboxEntry<MessageRecord>, hooks: ResumeHooks): Promise<void> {
    const record = entry.payload;
    if (record.reply) return this.resend(entry.id, record, record.reply, hooks);
    if (entry.kind !== 'message') return this.finish(entry.id);
    const resumed: MessageRecord = { ...record, resumes: record.resumes + 1 };
    if (!(await this.update(entry.id, resumed))) return;
    const durable = new DurableMessage(this, entry.id, resumed, true);
    const core = coreConfigSection.read(this.options.config);
    const gaveUp = resumed.resumes > MAX_RESUMES;
    if (gaveUp || this.now() >= record.receivedAt + core.reply_timeout_seconds * 1000) {
      const why = gaveUp ? `handled again ${MAX_RESUMES} times and never finished` : 'past reply_timeout_seconds';
      this.logger[gaveUp ? 'error' : 'warn']({ id: entry.id, to: record.target.receiver }, `a message left unanswered by a stopped process is ${why}; sending the error reply`);
      const reply = errorReply(core.error_reply);
      this.track(durable.send(reply, () => hooks.push(record.target, reply)).then(() => durable.close(), (error: unknown) => this.sendFailed(entry.id, error)));
      return;
    }
    const context = hooks.rebuild(record.message);
    if (!context) {
      this.logger.error({ id: entry.id }, 'an unanswered message in the outbox cannot be read back; dropped');
      return this.finish(entry.id);
    }
    this.logger.info({ id: entry.id, to: record.target.receiver, resumes: resumed.resumes }, 'a message left unanswered by a stopped process: handling it again');
    this.track(durable.handle(context, (c) => hooks.handle(c)));
  }

  /** An unconfirmed reply may have left before the crash: it is sent once more, never twice more. */
  private async resend(id: string, record: ReplyRecord, reply: KeptReply, hooks: ResumeHooks): Promise<void> {
    const resends = record.resends ?? 0;
    if (resends >= 1) {
      this.logger.error({ id, to: record.target.receiver }, 'a reply sent again after a restart was not confirmed either; giving up (it may have arrived)');
      return this.finish(id);
    }
    if (!(await this.update(id, { ...record, resends: resends + 1 }))) return;
    this.logger.warn({ id, to: record.target.receiver }, 'a reply was not confirmed before its process stopped; sending it once more (it may already have arrived: message/send has no idempotency key)');
    const work = hooks.push(record.target, reply).then(
      () => this.logger.info({ id, to: record.target.receiver }, 'reply sent after a restart'),
      (error: unknown) => this.sendFailed(id, error),
    );
    this.track(work.then(() => this.finish(id)));
  }

  private sendFailed(id: string, error: unknown): Promise<void> {
    this.logger.error({ err: error, id }, 'sending a resumed reply failed');
    return this.finish(id);
  }
}

