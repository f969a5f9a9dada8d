/**
 * What a stretch of work allocates, sampled by V8's heap profiler with the objects the GC has
 * already collected counted in: the garbage a hot path makes, which a heap snapshot never shows.
 * Open the .heapprofile in Chrome DevTools (Memory tab).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export class AllocationSampler {
  private session: Session | undefined;

  constructor(private readonly file: string) {}

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    writeFileSync(this.file, JSON.stringify(profile));
  }
}
