/**
 * `skiff token create|list|delete`: bootstrap tokens, kept as `bootstrap.kubernetes.io/token`
 * Secrets in kube-system and managed through the API with the admin kubeconfig (like kubeadm
 * and k3s `token` commands).
 */
import { join } from 'node:path';
import { ApiClient } from '../../client/client.js';
import { Resources } from '../../client/resources.js';
import { HttpsTransport, type HttpsCredentials } from '../../client/transport.js';
import { formatJoinToken } from '../../kubelet/bootstrap/join-token.js';
import type { KubeObject } from '../../api/object.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  bootstrapExpiry,
  bootstrapExtraGroups,
  bootstrapSecretName,
  bootstrapTokenSecret,
  bootstrapUsages,
  formatBootstrapToken,
  generateBootstrapToken,
  parseBootstrapToken,
  secretValue,
  validBootstrapGroup,
} from '../../apiserver/tokens/bootstrap-token.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';
import { defaultDataDir } from '../server/run.js';
import { loadKubeconfig } from '../sim/kubeconfig.js';
import { parseDuration, shortHumanDuration } from './duration.js';

const common: FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'Kubeconfig of the cluster (default: <data-dir>/kubeconfig.yaml)' },
  { name: 'data-dir', type: 'string', help: 'The server data folder whose admin kubeconfig to use' },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

const createFlags: FlagSpec[] = [
  { name: 'ttl', type: 'string', help: 'How long the token is valid (0: forever)', default: '24h' },
  { name: 'description', type: 'string', help: 'A human-readable note stored with the token' },
  { name: 'usages', type: 'list', help: 'What the token may be used for (default: signing,authentication)' },
  { name: 'groups', type: 'list', help: 'Extra groups (system:bootstrappers:…) the token authenticates as (default: system:bootstrappers:skiff:default-node-token)' },
  { name: 'token', type: 'string', help: 'Use this <id>.<secret> instead of a random one' },
  { name: 'full', type: 'boolean', help: 'Print only the join token that pins the cluster CA, K10<ca-hash>::<id>.<secret>', default: false },
  ...common,
];

const HELP = `Usage: skiff token <create|list|delete> [flags]

  create [--ttl 24h] [--description TEXT]   print a new bootstrap token <id>.<secret>
                                            (and on stderr the join token K10<ca-hash>::<id>.<secret>;
                                            --full prints only that)
  list                                      show the bootstrap tokens
  delete ID|TOKEN...                        remove bootstrap tokens
`;

function clientFor(values: Record<string, unknown>): ApiClient {
  return new ApiClient(new HttpsTransport(credentialsFor(values)), 'skiff-token');
}

function credentialsFor(values: Record<string, unknown>): HttpsCredentials {
  const path = values.kubeconfig
    ? String(values.kubeconfig)
    : process.env.KUBECONFIG && !values['data-dir']
      ? process.env.KUBECONFIG.split(':')[0]
      : join(values['data-dir'] ? String(values['data-dir']) : defaultDataDir(), 'kubeconfig.yaml');
  return loadKubeconfig(path);
}

export async function tokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create':
      return create(rest);
    case 'list':
      return list(rest);
    case 'delete':
      return remove(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`unknown token command "${sub}"\n\n${HELP}`);
  }
}

async function create(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, createFlags);
  if (values.help) return void process.stdout.write(usage('token create', createFlags) + '\n'), 0;
  let ttlMs: number;
  try {
    ttlMs = parseDuration(String(values.ttl));
  } catch (err) {
    throw new UsageError(`invalid --ttl: ${(err as Error).message}`);
  }
  const token = values.token ? parseBootstrapToken(String(values.token)) : generateBootstrapToken();
  if (!token) throw new UsageError('--token must look like [a-z0-9]{6}.[a-z0-9]{16}');
  const usages = (values.usages as string[]).length ? (values.usages as string[]) : ['signing', 'authentication'];
  for (const u of usages) if (u !== 'signing' && u !== 'authentication') throw new UsageError(`invalid usage "${u}" (signing or authentication)`);
  const groups = (values.groups as string[]).length ? (values.groups as string[]) : ['system:bootstrappers:skiff:default-node-token'];
  for (const g of groups) if (!validBootstrapGroup(g)) throw new UsageError(`group "${g}" must start with "system:bootstrappers:"`);
  const secret = bootstrapTokenSecret(token, {
    expiresAtMs: ttlMs > 0 ? Date.now() + ttlMs : undefined,
    description: values.description ? String(values.description) : undefined,
    usages,
    extraGroups: groups,
  });
  const creds = credentialsFor(values);
  await new ApiClient(new HttpsTransport(creds), 'skiff-token').create(Resources.secrets, BOOTSTRAP_TOKEN_NAMESPACE, secret);
  // stdout keeps the bare token for scripts; the CA-pinning join token is what agents should get.
  const full = formatJoinToken(creds.ca, formatBootstrapToken(token));
  if (values.full) process.stdout.write(`${full}\n`);
  else {
    process.stdout.write(`${formatBootstrapToken(token)}\n`);
    process.stderr.write(`join token (pins the cluster CA): ${full}\n`);
  }
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, common);
  if (values.help) return void process.stdout.write(usage('token list', common) + '\n'), 0;
  const secrets = await clientFor(values).listAll<KubeObject>(Resources.secrets, BOOTSTRAP_TOKEN_NAMESPACE, {
    fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}`,
  });
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  const now = Date.now();
  for (const s of secrets.items) {
    if (!s.metadata.name?.startsWith(BOOTSTRAP_TOKEN_SECRET_PREFIX)) continue;
    const id = secretValue(s, 'token-id') ?? s.metadata.name.slice(BOOTSTRAP_TOKEN_SECRET_PREFIX.length);
    const expiry = bootstrapExpiry(s);
    const groups = bootstrapExtraGroups(s);
    rows.push([
      `${id}.${secretValue(s, 'token-secret') ?? ''}`,
      expiry === undefined ? '<forever>' : shortHumanDuration(expiry - now),
      expiry === undefined ? '<never>' : (secretValue(s, 'expiration') ?? ''),
      bootstrapUsages(s).join(',') || '<none>',
      secretValue(s, 'description') || '<none>',
      groups.join(',') || '<none>',
    ]);
  }
  process.stdout.write(table(rows));
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const { values, rest } = parseFlags(argv, common);
  if (values.help) return void process.stdout.write(usage('token delete ID...', common) + '\n'), 0;
  if (!rest.length) throw new UsageError('missing token ID to delete');
  const client = clientFor(values);
  for (const arg of rest) {
    const id = parseBootstrapToken(arg)?.id ?? arg;
    if (!/^[a-z0-9]{6}$/.test(id)) throw new UsageError(`"${arg}" is not a bootstrap token ID`);
    await client.delete(Resources.secrets, BOOTSTRAP_TOKEN_NAMESPACE, bootstrapSecretName(id));
    process.stdout.write(`bootstrap token "${id}" deleted\n`);
  }
  return 0;
}
