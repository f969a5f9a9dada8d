/**
 * Lets a test wait until a list a fake keeps (replies recorded, messages sent) has grown to
 * `count`: the fake calls `notify()` after each push.
 */
export function countWaiter(list: readonly unknown[], what: string) {
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    notify(): void {
      waiters = waiters.filter((w) => (list.length >= w.count ? (w.resolve(), false) : true));
    },
    waitFor(count: number, timeoutMs = 5000): Promise<void> {
      if (list.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} ${what}, got ${list.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}
