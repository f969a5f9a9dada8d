import type { Ack } from './frames.js';
import { AckTimeoutError } from './errors.js';

interface Pending {
  cmd: string;
  reqId: string;
  resolve: (ack: Ack) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** At most this many frames wait for acks on one socket (1,000 open streams fit many times). */
export const MAX_PENDING_ACKS = 10_000;

/**
 * Frames sent and not yet acked, for one socket. Several frames may share a req_id (every
 * stream frame of a turn reuses the callback's), and an ack names only the req_id, so acks
 * are matched per req_id in send order. When a frame times out it leaves the queue; an ack
 * arriving for it later is taken by the next frame of that req_id — harmless for streams,
 * whose frames are answered alike, and better than stalling every later frame.
 */
export class PendingAcks {
  private readonly queues = new Map<string, Pending[]>();
  private count = 0;

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.count;
  }

  /** Registers a frame about to be sent; the promise settles with its ack, a timeout or `rejectAll`. */
  add(cmd: string, reqId: string): { acked: Promise<Ack>; cancel: (error: Error) => void } {
    if (this.count >= MAX_PENDING_ACKS) {
      const full = Promise.reject(new Error(`${MAX_PENDING_ACKS} frames already wait for acks; ${cmd} not sent`));
      return { acked: full, cancel: () => undefined };
    }
    let resolve!: (ack: Ack) => void;
    let reject!: (error: Error) => void;
    const acked = new Promise<Ack>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending = {
      cmd,
      reqId,
      resolve,
      reject,
      timer: setTimeout(() => {
        if (this.remove(pending)) reject(new AckTimeoutError(cmd, reqId, this.timeoutMs));
      }, this.timeoutMs),
    };
    const queue = this.queues.get(reqId);
    if (queue) queue.push(pending);
    else this.queues.set(reqId, [pending]);
    this.count += 1;
    return {
      acked,
      cancel: (error) => {
        if (this.remove(pending)) pending.reject(error);
      },
    };
  }

  /** Hands an ack to the oldest frame waiting under its req_id; false when none waits. */
  settle(ack: Ack): boolean {
    const head = this.queues.get(ack.reqId)?.[0];
    if (!head) return false;
    this.remove(head);
    head.resolve(ack);
    return true;
  }

  /** Rejects everything still waiting (socket closed, connection stopped). */
  rejectAll(makeError: (cmd: string, reqId: string) => Error): void {
    const all = [...this.queues.values()].flat();
    this.queues.clear();
    this.count = 0;
    for (const entry of all) {
      clearTimeout(entry.timer);
      entry.reject(makeError(entry.cmd, entry.reqId));
    }
  }

  private remove(entry: Pending): boolean {
    const queue = this.queues.get(entry.reqId);
    const index = queue ? queue.indexOf(entry) : -1;
    if (!queue || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) this.queues.delete(entry.reqId);
    clearTimeout(entry.timer);
    this.count -= 1;
    return true;
  }
}
