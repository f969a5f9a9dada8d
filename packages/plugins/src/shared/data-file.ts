import { isAbsolute, resolve } from 'node:path';
import type { AppConfig } from '@wecom-bot/core';

/** A file a plugin keeps: the configured path, or `fallbackName` inside `data_dir`. */
export function dataFile(config: AppConfig, configured: unknown, fallbackName: string): string {
  if (typeof configured === 'string' && configured !== '') return isAbsolute(configured) ? configured : resolve(configured);
  return resolve(String(config.data_dir ?? './data'), fallbackName);
}
