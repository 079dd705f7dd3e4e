/**
 * `skiff secrets-encrypt status|rotate-keys` (k3s names). Talks to the running server with the
 * admin kubeconfig and edits the key file in the data dir:
 * - status: whether encryption is on, the primary key, and how many Secrets each key wrote;
 * - rotate-keys: puts a new key first in the key file (older keys stay for reading), then asks
 *   the server to re-read it and rewrite every Secret not under the new key.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { HttpsTransport } from '../../client/transport.js';
import { loadKubeconfig } from '../sim/kubeconfig.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';
import { defaultDataDir } from '../server/run.js';
import { encryptionConfigPath, readEncryptionConfig, secretProviders, withNewPrimaryKey, writeEncryptionConfig } from '../../apiserver/encryption/encryption-config.js';
import { ENCRYPT_REENCRYPT_PATH, ENCRYPT_STATUS_PATH, type EncryptionStatus } from '../../apiserver/encryption/admin-endpoint.js';

export const secretsEncryptFlags: FlagSpec[] = [
  { name: 'data-dir', type: 'string', help: 'Data dir of the server (holds cred/encryption-config.json and kubeconfig.yaml)' },
  { name: 'kubeconfig', type: 'string', help: 'Admin kubeconfig (default: <data-dir>/kubeconfig.yaml)' },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

const HELP = `Usage: skiff secrets-encrypt <status|rotate-keys> [flags]\n`;

async function call(kubeconfig: string, method: string, path: string): Promise<Record<string, unknown>> {
  const t = new HttpsTransport(loadKubeconfig(kubeconfig));
  try {
    const res = await t.request({ method, path, headers: { Accept: 'application/json' } });
    const chunks: Buffer[] = [];
    for await (const c of res.stream) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    if (res.status < 200 || res.status > 299) throw new Error(`server answered ${res.status}: ${String(body.message ?? '')}`);
    return body;
  } finally {
    t.close();
  }
}

function keyTypes(path: string): Map<string, string> {
  const types = new Map<string, string>([['identity', 'Identity']]);
  if (!existsSync(path)) return types;
  for (const p of secretProviders(readEncryptionConfig(path))) {
    if ('aesgcm' in p) for (const k of p.aesgcm.keys) types.set(k.name, 'AES-GCM');
    if ('aescbc' in p) for (const k of p.aescbc.keys) types.set(k.name, 'AES-CBC');
  }
  return types;
}

export function renderStatus(s: EncryptionStatus, types: Map<string, string>): string {
  if (!s.enabled) return 'Encryption Status: Disabled\n';
  const rows = [...types.keys()].map((name) => [name === s.primaryKey ? ' *' : '', types.get(name)!, name, String(s.secretsByKey?.[name] ?? 0)]);
  for (const [name, n] of Object.entries(s.secretsByKey ?? {})) if (!types.has(name)) rows.push(['', 'Unknown', name, String(n)]);
  const head = ['Active', 'Key Type', 'Name', 'Secrets'];
  const all = [head, head.map((h) => '-'.repeat(h.length)), ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const table = all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
  return `Encryption Status: Enabled\nActive Key: ${s.primaryKey}\n\n${table}\n`;
}

export async function secretsEncryptCommand(argv: string[]): Promise<number> {
  const { values, rest } = parseFlags(argv, secretsEncryptFlags);
  if (values.help || rest.length === 0) {
    process.stdout.write(HELP + usage('secrets-encrypt', secretsEncryptFlags) + '\n');
    return values.help ? 0 : 2;
  }
  const dataDir = String(values['data-dir'] ?? '') || defaultDataDir();
  const kubeconfig = String(values.kubeconfig ?? '') || join(dataDir, 'kubeconfig.yaml');
  const keyFile = encryptionConfigPath(dataDir);
  switch (rest[0]) {
    case 'status': {
      const s = (await call(kubeconfig, 'GET', ENCRYPT_STATUS_PATH)) as unknown as EncryptionStatus;
      process.stdout.write(renderStatus(s, keyTypes(keyFile)));
      return 0;
    }
    case 'rotate-keys': {
      if (!existsSync(keyFile)) throw new UsageError(`no key file at ${keyFile}: start the server with --secrets-encryption first`);
      const cfg = readEncryptionConfig(keyFile);
      const first = secretProviders(cfg)[0];
      const cipher = 'aescbc' in first ? 'aescbc' : 'aesgcm';
      const name = `${cipher}key-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      writeEncryptionConfig(keyFile, withNewPrimaryKey(cfg, name));
      const r = await call(kubeconfig, 'POST', ENCRYPT_REENCRYPT_PATH);
      process.stdout.write(`keys rotated, new primary key ${name}; re-encrypted ${String(r.rewritten)} of ${String(r.total)} secrets\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown secrets-encrypt command "${rest[0]}" (status, rotate-keys)`);
  }
}
