import { isAbsolute, resolve } from 'node:path';
import { coreConfigSection, type AppConfig } from '@wecom-bot/core';

/** A file a plugin keeps: the configured path, or `fallbackName` inside core's `data_dir`. */
export function dataFile(config: AppConfig, configured: string, fallbackName: string): string {
  if (configured !== '') return isAbsolute(configured) ? configured : resolve(configured);
  return resolve(coreConfigSection.read(config).data_dir, fallbackName);
}
