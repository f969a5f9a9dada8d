import { join } from 'node:path';
import { coreConfigSection, type AppConfig, type Logger, type Stores } from '@wecom-bot/core';
import { claimInstanceId, createDiskStores, createMemoryStores, type ClaimedInstanceId } from '@wecom-bot/core/runtime';

/**
 * The stores `store` names: disk under <data_dir>/state (the default: one process keeps its
 * state across restarts), Redis (several instances share it), or memory. Redis is imported
 * only when chosen, so a single instance never loads its client. Disk and Redis give the
 * process an instance id kept in <data_dir>/state/instance-id: a restart is the same instance.
 */
export async function openStores(config: AppConfig, logger: Logger): Promise<Stores> {
  const core = coreConfigSection.read(config);
  const stateDir = join(core.data_dir, 'state');
  switch (core.store) {
    case 'memory':
      logger.warn('store "memory": seen messages, conversations and settings are lost on restart');
      return createMemoryStores();
    case 'redis': {
      const { createRedisStores } = await import('@wecom-bot/store-redis');
      // Keys under "wecom-bot:", or the prefix redis_url's ?prefix= names (several bots on one Redis).
      const stores = await createRedisStores({ url: core.redis_url, onError: (error) => logger.warn({ err: error }, 'Redis error') });
      // Redis has no lock on data_dir: the id's claim takes one, so one data_dir is one instance.
      let claimed: ClaimedInstanceId;
      try {
        claimed = claimInstanceId(stateDir);
      } catch (error) {
        await stores.close();
        throw error;
      }
      if (claimed.warning) logger.warn(`store: ${claimed.warning}`);
      return {
        ...stores,
        instanceId: claimed.id,
        close: async () => {
          try {
            await stores.close();
          } finally {
            claimed.release();
          }
        },
      };
    }
    case 'disk':
      return createDiskStores({ dir: stateDir, warn: (message) => logger.warn(`store: ${message}`) });
  }
}
