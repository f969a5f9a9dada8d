import type { LeaseStore, Logger } from '@wecom-bot/core';

export interface ConnectionLeaseOptions {
  leases: LeaseStore;
  /** The lease's name: one per bot, so one connection per bot across instances. */
  name: string;
  holder: string;
  logger: Logger;
  ttlMs?: number;
  /** How often a standby instance tries again, and how often the holder renews (a third of the TTL). */
  retryMs?: number;
}

/**
 * WeCom allows one long connection per bot: a second one takes the bot over and the first is
 * told to stop. With several instances (Redis), only the holder of this lease connects; the
 * others stand by and take over within about a TTL when the holder dies. With one process
 * (disk or memory leases) the lease is always free.
 */
export class ConnectionLease {
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private started = false;
  private lost = false;
  private stopped = false;

  constructor(private readonly options: ConnectionLeaseOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.retryMs = options.retryMs ?? Math.floor(this.ttlMs / 3);
  }

  /**
   * Holds the lease and runs `onAcquired` (connect) now, or stands by and runs it when the
   * holder's lease runs out. `onLost` is called if a held lease is lost (disconnect).
   */
  async start(onAcquired: () => Promise<void>, onLost: () => void): Promise<'holder' | 'standby'> {
    const { leases, name, holder, logger } = this.options;
    this.started = true;
    if (await leases.acquire(name, holder, this.ttlMs)) {
      this.keep(onLost);
      await onAcquired();
      return 'holder';
    }
    logger.info({ holder: await leases.holder(name) }, 'another instance holds the AI bot connection; standing by to take over');
    const retry = async (): Promise<void> => {
      if (this.stopped) return;
      if (!(await leases.acquire(name, holder, this.ttlMs).catch(() => false))) {
        this.timer = setTimeout(() => void retry(), this.retryMs);
        return;
      }
      logger.info('took over the AI bot connection');
      this.keep(onLost);
      await onAcquired().catch((error: unknown) => logger.error({ err: error }, 'connecting after the take-over failed'));
    };
    this.timer = setTimeout(() => void retry(), this.retryMs);
    return 'standby';
  }

  private keep(onLost: () => void): void {
    const { leases, name, holder, logger } = this.options;
    this.held = true;
    const renew = async () => {
      const kept = await leases.renew(name, holder, this.ttlMs).catch(() => false);
      if (this.stopped) return;
      if (!kept) {
        this.held = false;
        this.lost = true;
        logger.error('lost the AI bot connection lease (the store was unreachable too long, or another instance took it): disconnecting');
        onLost();
        return;
      }
      this.timer = setTimeout(() => void renew(), this.retryMs);
    };
    this.timer = setTimeout(() => void renew(), this.retryMs);
  }

  /** holder: this instance connects; standby: another does, this one waits to take over; lost: the lease went and is not sought again. */
  get role(): 'idle' | 'holder' | 'standby' | 'lost' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (this.held) return 'holder';
    if (this.lost) return 'lost';
    return this.started ? 'standby' : 'idle';
  }

  /** Who holds the lease now (an instance id, "host:pid:random"). */
  holder(): Promise<string | undefined> {
    return this.options.leases.holder(this.options.name);
  }

  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.held) await this.options.leases.release(this.options.name, this.options.holder).catch(() => undefined);
    this.held = false;
  }
}
