/**
 * ExpiringMap at its cap: the cost of one set (with expiry and the cap) while the map fills,
 * and after it has been full for a long time, when the dedupe maps of the channels spend
 * their life. Flat figures mean eviction does not grow with what was evicted before.
 *
 *   pnpm bench expiring-map
 */
import { ExpiringMap } from '@wecom-bot/core';

const CAP = 50_000;
const map = new ExpiringMap<number>({ ttlMs: 10 * 60_000, maxEntries: CAP });

function pass(label: string, count: number, offset: number): void {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) map.set(`msg-${offset + i}`, i);
  const ns = Number(process.hrtime.bigint() - started) / count;
  console.log(`${label.padEnd(34)} ${(ns / 1000).toFixed(3).padStart(8)} µs per set   (size ${map.size})`);
}

console.log(`ExpiringMap, cap ${CAP}, Node ${process.version}`);
pass('filling (0 → cap)', CAP, 0);
for (let round = 1; round <= 5; round++) pass(`at the cap, round ${round} (${CAP * 2} sets)`, CAP * 2, CAP * (2 * round - 1));
