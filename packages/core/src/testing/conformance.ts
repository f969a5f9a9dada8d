/**
 * The store conformance suites, for a store implementation's tests:
 * "@wecom-bot/core/testing/conformance". They call vitest's describe/it, so they live apart
 * from "@wecom-bot/core/testing", which `wecom-bot dev` also loads at run time (its WeCom
 * stand-ins use it), where vitest, a dev dependency, is not installed.
 */
export { runSessionStoreConformance } from './session-store-conformance.js';
export { runStoreConformance, type MakeStores, type StoreConformanceOptions } from './store-conformance.js';
