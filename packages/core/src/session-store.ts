// Moved to store/: this path stays for existing imports.
export { MemorySessionStore, type SessionStore } from './store/session-store.js';
