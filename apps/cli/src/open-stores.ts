import { join } from 'node:path';
import { coreConfigSection, type AppConfig, type Logger, type Stores } from '@wecom-bot/core';
import { createDiskStores, createMemoryStores } from '@wecom-bot/core/runtime';

/**
 * The stores `store` names: disk under <data_dir>/state (the default: one process keeps its
 * state across restarts), Redis (several instances share it), or memory. Redis is imported
 * only when chosen, so a single instance never loads its client.
 */
export async function openStores(config: AppConfig, logger: Logger): Promise<Stores> {
  const core = coreConfigSection.read(config);
  switch (core.store) {
    case 'memory':
      logger.warn('store "memory": seen messages, conversations and settings are lost on restart');
      return createMemoryStores();
    case 'redis': {
      const { createRedisStores } = await import('@wecom-bot/store-redis');
      return createRedisStores({ url: core.redis_url, prefix: 'wecom-bot:', onError: (error) => logger.warn({ err: error }, 'Redis error') });
    }
    case 'disk':
      return createDiskStores({ dir: join(core.data_dir, 'state'), warn: (message) => logger.warn(`store: ${message}`) });
  }
}
