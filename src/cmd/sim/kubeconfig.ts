/** Reads a kubeconfig file (current context) into HTTPS credentials for the client. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { HttpsCredentials } from '../../client/transport.js';
import { UsageError } from '../flags.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  value?: T;
}

function pick<T>(list: Named<T>[] | undefined, name: string, field: string): T {
  const item = (list ?? []).find((x) => x.name === name);
  if (!item || !item[field]) throw new UsageError(`kubeconfig: ${field} "${name}" not found`);
  return item[field] as T;
}

function material(base: string, data: unknown, file: unknown): string | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8');
  if (typeof file === 'string' && file) return readFileSync(resolve(base, file), 'utf8');
  return undefined;
}

export function loadKubeconfig(path: string, contextName?: string): HttpsCredentials {
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const base = dirname(path);
  const ctxName = contextName ?? (doc['current-context'] as string);
  const ctx = pick<{ cluster: string; user: string }>(doc.contexts as Named<never>[], ctxName, 'context');
  const cluster = pick<Record<string, string>>(doc.clusters as Named<never>[], ctx.cluster, 'cluster');
  const user = pick<Record<string, string>>(doc.users as Named<never>[], ctx.user, 'user');
  const ca = material(base, cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (!cluster.server?.startsWith('https://')) throw new UsageError(`kubeconfig: server "${cluster.server}" is not https`);
  if (!ca) throw new UsageError('kubeconfig: the cluster has no certificate authority');
  const token = user.token ?? (user.tokenFile ? readFileSync(resolve(base, user.tokenFile), 'utf8').trim() : undefined);
  return {
    server: cluster.server,
    ca,
    cert: material(base, user['client-certificate-data'], user['client-certificate']),
    key: material(base, user['client-key-data'], user['client-key']),
    token,
  };
}
