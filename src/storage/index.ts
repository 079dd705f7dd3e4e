/** What the rest of skiff imports from the storage layer. */
export * from './interface.js';
export { openStorage, UnsupportedEndpointError, type OpenStorageOptions } from './factory.js';
export { startCompactor, type Compactor, type CompactorOptions } from './compactor.js';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';
export type { EtcdStorageOptions } from './etcd/etcd-storage.js';
export { openEtcdStorage } from './factory.js';
export { openMemoryStorage } from './memory/memory-storage.js';
