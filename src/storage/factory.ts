/**
 * Picks the backend from k3s's `--datastore-endpoint` convention: empty = embedded SQLite
 * under the data dir; `http(s)://host:2379[,…]` = etcd; `memory://` = in-memory (tests).
 */
import { join } from 'node:path';
import { StorageError, type Storage } from './interface.js';
import type { EtcdStorageOptions } from './etcd/etcd-storage.js';
import { openMemoryStorage } from './memory/memory-storage.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';

export interface OpenStorageOptions {
  datastoreEndpoint?: string;
  dataDir: string;
  /** Key prefix inside a shared etcd. */
  etcdPrefix?: string;
}

export class UnsupportedEndpointError extends StorageError {
  constructor(readonly endpoint: string) {
    super('UnsupportedEndpoint', `unsupported datastore endpoint: ${endpoint} (use http(s)://host:2379[,…] or leave empty for sqlite)`);
  }
}

export function openStorage(opts: OpenStorageOptions): Promise<Storage> {
  const endpoint = opts.datastoreEndpoint?.trim() ?? '';
  if (endpoint === '') return openSqliteStorage({ path: join(opts.dataDir, 'db', 'state.db') });
  if (endpoint === 'memory://') return openMemoryStorage();
  const endpoints = endpoint.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (endpoints.every((e) => /^https?:\/\//.test(e))) {
    return openEtcdStorage({ endpoints, prefix: opts.etcdPrefix });
  }
  return Promise.reject(new UnsupportedEndpointError(endpoint));
}

/**
 * The etcd backend with its gRPC client is loaded only when an etcd endpoint is used: it costs
 * a noticeable part of start-up, and the default store is SQLite.
 */
export async function openEtcdStorage(opts: EtcdStorageOptions): Promise<Storage> {
  const { openEtcdStorage: open } = await import('./etcd/etcd-storage.js');
  return open(opts);
}
