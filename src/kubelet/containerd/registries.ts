/**
 * k3s's registries.yaml (mirrors + configs) turned into containerd's per-registry
 * hosts.toml files (registry config_path), so a local registry can serve docker.io names.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface RegistryTLS {
  insecure_skip_verify?: boolean;
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
}

export interface RegistriesFile {
  mirrors?: Record<string, { endpoint?: string[] }>;
  configs?: Record<string, { tls?: RegistryTLS }>;
}

export const DEFAULT_REGISTRIES_FILE = '/etc/skiff/registries.yaml';

const str = (s: string) => JSON.stringify(s);

/** The registry's own address as containerd names it; docker.io is served by registry-1. */
function upstreamServer(registry: string): string | undefined {
  if (registry === '*') return undefined;
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  return `https://${registry}`;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function tlsLines(tls: RegistryTLS | undefined): string[] {
  if (!tls) return [];
  const lines: string[] = [];
  if (tls.insecure_skip_verify) lines.push('  skip_verify = true');
  if (tls.ca_file) lines.push(`  ca = ${str(tls.ca_file)}`);
  if (tls.cert_file && tls.key_file) lines.push(`  client = [[${str(tls.cert_file)}, ${str(tls.key_file)}]]`);
  return lines;
}

/** hosts.toml contents per registry folder name ('_default' for the '*' mirror). */
export function renderRegistryHosts(file: RegistriesFile): Map<string, string> {
  const out = new Map<string, string>();
  const registries = new Set([...Object.keys(file.mirrors ?? {}), ...Object.keys(file.configs ?? {})]);
  for (const registry of registries) {
    const lines: string[] = [];
    const server = upstreamServer(registry);
    if (server) lines.push(`server = ${str(server)}`);
    for (const endpoint of file.mirrors?.[registry]?.endpoint ?? []) {
      const url = /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
      lines.push('', `[host.${str(url)}]`, '  capabilities = ["pull", "resolve"]');
      lines.push(...tlsLines(file.configs?.[hostOf(url)]?.tls));
    }
    const ownTLS = tlsLines(file.configs?.[registry]?.tls);
    if (server && ownTLS.length) lines.push('', `[host.${str(server)}]`, '  capabilities = ["pull", "resolve", "push"]', ...ownTLS);
    out.set(registry === '*' ? '_default' : registry, lines.join('\n').trimStart() + '\n');
  }
  return out;
}

/** Rewrites `dir` from the registries file; missing file → no mirrors. */
export function writeRegistryHosts(registriesFile: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (!existsSync(registriesFile)) return;
  const parsed = (parse(readFileSync(registriesFile, 'utf8')) ?? {}) as RegistriesFile;
  for (const [name, text] of renderRegistryHosts(parsed)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'hosts.toml'), text);
  }
}
