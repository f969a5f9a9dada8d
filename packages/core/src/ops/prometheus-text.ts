/**
 * The app's own metrics, counted in plain maps and written in the Prometheus text format
 * (0.0.4) exactly as prom-client writes it. prom-client and what it loads (OpenTelemetry's
 * API, 80-odd modules) took about 80 ms of start-up; it is loaded on the first scrape, for the
 * process metrics alone (see BotMetrics.render).
 */

/** One line of a family: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Readonly<Record<string, string | number>>;
  value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  samples(): Sample[];
}

/** A counter by labels; the labels are always given in the same order (they make the key). */
export class LabelledCounter<L extends string> implements MetricFamily {
  readonly type = 'counter';
  private readonly values = new Map<string, { labels: Readonly<Record<L, string>>; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Readonly<Record<L, string>>): void {
    const key = Object.values(labels).join('\u0000');
    const entry = this.values.get(key);
    if (entry) entry.value += 1;
    else this.values.set(key, { labels: { ...labels }, value: 1 });
  }

  samples(): Sample[] {
    return [...this.values.values()].map(({ labels, value }) => ({ name: this.name, labels, value }));
  }
}

/** A gauge read from `read` at every scrape, so it is never out of step. */
export class ReadGauge implements MetricFamily {
  readonly type = 'gauge';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  samples(): Sample[] {
    return [{ name: this.name, labels: {}, value: this.read() }];
  }
}

/** A histogram without labels: counts per upper bound, the sum and the count. */
export class PlainHistogram implements MetricFamily {
  readonly type = 'histogram';
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = upperBounds.map(() => 0);
  }

  observe(value: number): void {
    const at = this.upperBounds.findIndex((bound) => value <= bound);
    if (at >= 0) this.counts[at]! += 1;
    this.sum += value;
    this.count += 1;
  }

  samples(): Sample[] {
    let cumulative = 0;
    const bucket = `${this.name}_bucket`;
    return [
      ...this.upperBounds.map((le, i) => ({ name: bucket, labels: { le }, value: (cumulative += this.counts[i]!) })),
      { name: bucket, labels: { le: '+Inf' }, value: this.count },
      { name: `${this.name}_sum`, labels: {}, value: this.sum },
      { name: `${this.name}_count`, labels: {}, value: this.count },
    ];
  }
}

/** The families as prom-client's Registry.metrics() writes them: blank lines between, one newline at the end. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  return `${families.map(renderFamily).join('\n\n')}\n`;
}

function renderFamily(family: MetricFamily): string {
  const name = escape(family.name);
  const lines = [`# HELP ${name} ${escape(family.help)}`, `# TYPE ${name} ${family.type}`];
  for (const sample of family.samples()) {
    const labels = Object.entries(sample.labels).map(([key, value]) => `${key}="${typeof value === 'string' ? escape(value).replace(/"/g, '\\"') : value}"`);
    lines.push(`${sample.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${valueText(sample.value)}`);
  }
  return lines.join('\n');
}

const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return String(value);
}
