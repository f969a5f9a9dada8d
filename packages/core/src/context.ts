/** What kind of inbound message a Context carries. Channel-neutral. */
export const ContextType = {
  TEXT: 'TEXT',
  VOICE: 'VOICE',
  IMAGE: 'IMAGE',
  IMAGE_CREATE: 'IMAGE_CREATE',
  FILE: 'FILE',
  VIDEO: 'VIDEO',
  LOCATION: 'LOCATION',
  LINK: 'LINK',
  EVENT: 'EVENT',
} as const;
export type ContextType = (typeof ContextType)[keyof typeof ContextType];

/**
 * One inbound message, normalized by its channel. `content` is the text for TEXT (and for
 * VOICE once transcribed), a media reference or URL for media, the event name for EVENT.
 */
export interface Context {
  type: ContextType;
  content: string;
  /** Conversation key: history, ordering and rate limits hang off it. Filled by the pipeline when empty. */
  sessionId: string;
  /** Where a reply goes (user id in single chat, group id in a group). */
  receiver: string;
  isGroup: boolean;
  /** True when the bot was @-mentioned in a group. */
  isAt: boolean;
  senderId: string;
  senderName?: string;
  groupId?: string;
  groupName?: string;
  /** channel_type of the channel that produced it. */
  channel: string;
  /** Stable id used to drop duplicates (platform message id). */
  messageId?: string;
  /** Seconds since epoch, as the platform stamped it. */
  createdAt: number;
  /** The platform's raw message, for plugins that need a field we did not normalize. */
  raw?: unknown;
  /** Typed bag for plugins and channels: use `ctxGet`/`ctxSet` with a `ContextKey`. */
  readonly bag: Map<symbol, unknown>;
}

export type ContextInit = Partial<Omit<Context, 'bag'>> & Pick<Context, 'type' | 'content' | 'channel'>;

export function createContext(init: ContextInit): Context {
  const senderId = init.senderId ?? init.receiver ?? '';
  return {
    sessionId: '',
    receiver: senderId,
    isGroup: false,
    isAt: false,
    senderId,
    createdAt: Math.floor(Date.now() / 1000),
    ...init,
    bag: new Map(),
  };
}

/** A typed key into `Context.bag`, so plugins share values without stringly-typed collisions. */
export interface ContextKey<T> {
  readonly symbol: symbol;
  /** Phantom field carrying the value type. */
  readonly __type?: T;
}

export function contextKey<T>(description: string): ContextKey<T> {
  return { symbol: Symbol(description) };
}

export function ctxGet<T>(context: Context, key: ContextKey<T>): T | undefined {
  return context.bag.get(key.symbol) as T | undefined;
}

export function ctxSet<T>(context: Context, key: ContextKey<T>, value: T): void {
  context.bag.set(key.symbol, value);
}
