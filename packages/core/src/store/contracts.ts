/**
 * The stores: small async interfaces, one job each, that every backend (memory, disk, Redis)
 * implements and `runStoreConformance` checks. Values are JSON: what goes in comes back as
 * `JSON.parse(JSON.stringify(value))`, a copy. TTLs are in milliseconds, except
 * SessionStore's seconds (its shape predates the others). Keys are the caller's: prefix
 * them with what owns them (`wechatcom:`, `openai:history:`) so channels never collide.
 */
/**
 * Conversation history (bot-openai's turns) and other small values by key, with expiry.
 * The oldest of the stores, so its TTL is in seconds.
 */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  /** `ttlSeconds` of 0 or less means no expiry. */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What `SeenStore.remember` says about a key: new, or seen before with the answer kept then. */
export type Remembered<T = unknown> = { first: true } | { first: false; answer: T | undefined };

/**
 * Message ids seen recently, and the answer given inside the platform's request, so a retry
 * of the same message is neither asked of the bot again nor left without that answer.
 */
export interface SeenStore {
  /**
   * Marks `key` seen for `ttlMs`. Exactly one caller gets `first: true` for a key, however
   * many ask at once and from however many instances; the others get the answer kept so far.
   */
  remember<T = unknown>(key: string, ttlMs: number): Promise<Remembered<T>>;
  /** Keeps the answer given for `key`; the key is kept `ttlMs` from now (created if it expired). */
  setAnswer(key: string, answer: unknown, ttlMs: number): Promise<void>;
  /** Forgets `key`: a retry will be `first` again (used when handling failed before the ack). */
  forget(key: string): Promise<void>;
}

export interface PendingAddOptions {
  /** How long this answer waits to be collected. */
  ttlMs: number;
  /** Most answers kept per user; past it the oldest are dropped. */
  max: number;
}

/**
 * Finished answers that missed their request (the dialogue platform's), kept per user until
 * the user's next request collects them. Bounded per user by `max`, in time by `ttlMs`.
 */
export interface PendingStore {
  /** Keeps `answer` for `user`; resolves with how many older answers were dropped for room. */
  add(user: string, answer: unknown, options: PendingAddOptions): Promise<number>;
  /** Removes and returns up to `max` of the user's live answers, oldest first. */
  take<T = unknown>(user: string, max?: number): Promise<T[]>;
  /** How many live answers wait for `user`. */
  count(user: string): Promise<number>;
}

/** Runtime settings: what `#model`, `#plugins`, `#auth` change; key → JSON value, no expiry. */
export interface SettingsStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every setting, for start-up and `#reload`. */
  all(): Promise<Record<string, unknown>>;
}

/** Small records by id with a TTL: the AI bot's stream state (what was streamed, up to when). */
export interface StreamStateStore {
  get<T = unknown>(id: string): Promise<T | undefined>;
  set(id: string, value: unknown, ttlMs: number): Promise<void>;
  delete(id: string): Promise<void>;
}

/** One unit of work that must finish even across a crash: an accepted message, a reply to send. */
export interface OutboxEntry<T = unknown> {
  id: string;
  /** What the entry is, e.g. "message" or "reply"; the store does not interpret it. */
  kind: string;
  payload: T;
  /** The instance that holds it now. */
  owner: string;
  /** When it was added (ms since the epoch, the backend's clock). */
  createdAt: number;
  /** The owner holds it until then; after that another instance may claim it. */
  claimedUntil: number;
  /** How many times it was taken on: the add counts as 1, every claim adds 1 (to bound doubles). */
  attempts: number;
}

export interface OutboxAddOptions {
  /** How long the adding instance holds it before others may claim it. */
  claimMs: number;
  /** Dropped after this long even if never done (a safety net; default: kept until done). */
  ttlMs?: number;
}

/**
 * Accepted messages and replies not yet confirmed. Added before the platform is acked (or
 * the reply sent), done when finished; on start an instance lists what is unfinished and
 * claims each entry, so two instances never resume the same one.
 */
export interface OutboxStore {
  /**
   * Adds an entry held by `owner`. False when an entry with this id already exists
   * (perhaps from an earlier try of this same call: the entry is there either way).
   */
  add(entry: { id: string; kind: string; payload: unknown; owner: string }, options: OutboxAddOptions): Promise<boolean>;
  get<T = unknown>(id: string): Promise<OutboxEntry<T> | undefined>;
  /**
   * Takes the entry for `owner` for `claimMs` when its claim has run out or `owner` already
   * holds it; exactly one of several concurrent claimers wins. Undefined: done, gone, or held.
   */
  claim<T = unknown>(id: string, owner: string, claimMs: number): Promise<OutboxEntry<T> | undefined>;
  /** Replaces the payload (progress: parts sent so far) if `owner` holds the entry; false otherwise. */
  update(id: string, owner: string, payload: unknown): Promise<boolean>;
  /** Finished: the entry is removed. */
  done(id: string): Promise<void>;
  /** Unfinished entries added at least `olderThanMs` ago, oldest first, at most `limit`, none that `skip` names. */
  unfinished<T = unknown>(options: UnfinishedOptions): Promise<OutboxEntry<T>[]>;
}

export interface UnfinishedOptions {
  olderThanMs: number;
  limit?: number;
  /**
   * Ids the caller does not want (the records it is working on): left out before they are
   * read, and before `limit` counts, so thousands of a busy process's own records neither
   * cost a parse each nor hide another's abandoned work behind the limit.
   */
  skip?: (id: string) => boolean;
}

/** What `PacingStore.take` answers. */
export type Pace = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * Counters that pace sends (WeCom: 30 messages a minute per member), shared by every instance:
 * a sliding window per key, so a burst is queued by the caller, never dropped by the platform.
 */
export interface PacingStore {
  /** Counts one send for `key` if fewer than `limit` were counted in the last `windowMs`. */
  take(key: string, limit: number, windowMs: number): Promise<Pace>;
}

/**
 * A named lease with exactly one holder at a time (the AI bot's single long connection):
 * kept by renewing before `ttlMs` runs out, taken over by another holder once it does.
 */
export interface LeaseStore {
  /** True when `holder` holds `name` now (newly, or already: then it is renewed). */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease if `holder` still holds it; false means it was lost. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it (someone else's lease is left alone). */
  release(name: string, holder: string): Promise<void>;
  holder(name: string): Promise<string | undefined>;
}

/** Every store of one backend, opened together and closed together. */
export interface Stores {
  /** Where the state is, for logs: "memory", "disk /srv/bot/data", "redis 127.0.0.1:6379/wecom-bot:". */
  readonly description: string;
  /**
   * The id this process goes by in these stores (outbox claims, leases), kept where the
   * backend keeps this instance's files so a restart is the same instance and resumes its own
   * unfinished work at once. Absent (memory): a new id each start.
   */
  readonly instanceId?: string;
  /**
   * True when nothing here outlives the process (memory): an outbox could resume nothing
   * after a crash, so the channels keep none and spare each message its record.
   */
  readonly volatile?: boolean;
  readonly sessions: SessionStore;
  readonly seen: SeenStore;
  readonly pending: PendingStore;
  readonly settings: SettingsStore;
  readonly streams: StreamStateStore;
  readonly outbox: OutboxStore;
  readonly pacing: PacingStore;
  readonly leases: LeaseStore;
  /** Flushes and releases the backend (files, lock, connection). */
  close(): Promise<void>;
}
