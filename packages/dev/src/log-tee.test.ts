import { Writable } from 'node:stream';
import { SecretRegistry } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { devLogger } from './log-tee.js';
import type { DevInfo, DevRecord } from './protocol.js';

function setUp(level: string) {
  const hub = new Hub({ notes: [] } as unknown as DevInfo);
  const records: DevRecord[] = [];
  hub.listen((event) => event.type === 'record' && records.push(event.record));
  let terminal = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      terminal += chunk.toString();
      done();
    },
  });
  const secrets = new SecretRegistry();
  secrets.add('sk-dev-0123456789abcdef');
  return { logger: devLogger({ secrets, level, hub, terminal: sink }), records, terminal: () => terminal };
}

describe('wecom-bot dev: one logger for the terminal and the panel', () => {
  it('shows each line by level name on the terminal from log_level up, and in the panel from info up', () => {
    const { logger, records, terminal } = setUp('warn');
    logger.info({ chat: 'app' }, 'reply sent');
    logger.warn({ err: new Error('key sk-dev-0123456789abcdef refused') }, 'send failed');
    expect(terminal()).toMatch(/^\d\d:\d\d:\d\d WARN  send failed \(key sk\*\*\* refused\)\n$/);
    expect(records.map((r) => [r.title, r.ok, r.chat])).toEqual([
      ['INFO reply sent', true, 'app'],
      ['WARN send failed', false, undefined],
    ]);
    expect(JSON.stringify(records)).not.toContain('sk-dev-0123456789abcdef');
  });

  it('shows debug lines on the terminal when log_level asks for them, never in the panel', () => {
    const { logger, records, terminal } = setUp('debug');
    logger.debug('frame sent');
    expect(terminal()).toMatch(/DEBUG frame sent/);
    expect(records).toEqual([]);
  });
});
