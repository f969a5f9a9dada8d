import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledCounter, PlainHistogram, ReadGauge, renderFamilies } from './prometheus-text.js';

describe('the metrics text', () => {
  it('is what prom-client writes for the same counts: labels, escaping, buckets, sum, gauges', async () => {
    const registers = [new Registry()];
    const bounds = [0.1, 0.5, 1, 5];
    const theirs = {
      counter: new Counter({ name: 'c_total', help: 'Counts\\ with "quotes"\nand a newline.', labelNames: ['channel', 'result'], registers }),
      empty: new Counter({ name: 'e_total', help: 'Never counted.', labelNames: ['channel'], registers }),
      histogram: new Histogram({ name: 'h_seconds', help: 'Latency.', buckets: bounds, registers }),
      gauge: new Gauge({
        name: 'g',
        help: 'Read at scrape.',
        registers,
        collect(this: Gauge) {
          this.set(7);
        },
      }),
    };
    const ours = {
      counter: new LabelledCounter<'channel' | 'result'>('c_total', 'Counts\\ with "quotes"\nand a newline.'),
      empty: new LabelledCounter<'channel'>('e_total', 'Never counted.'),
      histogram: new PlainHistogram('h_seconds', 'Latency.', bounds),
      gauge: new ReadGauge('g', 'Read at scrape.', () => 7),
    };
    for (const labels of [
      { channel: 'wechatcom_app', result: 'answered' },
      { channel: 'wechatcom_app', result: 'answered' },
      { channel: 'a "quoted"\\ch\nannel', result: 'refused' },
      { channel: 'wechatcom_app', result: 'acked' },
    ]) {
      theirs.counter.inc(labels);
      ours.counter.inc(labels);
    }
    for (const seconds of [0.05, 0.1, 0.3, 2, 7, 120, 0.75]) {
      theirs.histogram.observe(seconds);
      ours.histogram.observe(seconds);
    }
    expect(renderFamilies([ours.counter, ours.empty, ours.histogram, ours.gauge])).toBe(await registers[0]!.metrics());
  });

  it('an empty histogram shows its zero buckets', async () => {
    const registers = [new Registry()];
    new Histogram({ name: 'h', help: 'None yet.', buckets: [1, 2], registers });
    expect(renderFamilies([new PlainHistogram('h', 'None yet.', [1, 2])])).toBe(await registers[0]!.metrics());
  });
});
