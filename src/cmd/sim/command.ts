/**
 * `skiff sim --kubeconfig FILE --nodes N`: simulated nodes joined to a cluster over HTTPS.
 * `startSimulatedNodes` is the same thing in-process, for `skiff server --simulate-nodes N`.
 */
import { realClock, type Clock } from '../../base/clock.js';
import { createLogger, type Logger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import { HttpsTransport } from '../../client/transport.js';
import { parseQuantity } from '../../api/quantity.js';
import { nodeSpecs, parseLabels, parseTaint, type Taint } from '../../sim/node-spec.js';
import { SimNodes } from '../../sim/sim-nodes.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';
import { loadKubeconfig } from './kubeconfig.js';

export const simFlags: FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'Kubeconfig of the cluster to join (current context)' },
  { name: 'nodes', type: 'number', help: 'How many nodes to simulate', default: 1 },
  { name: 'name-prefix', type: 'string', help: 'Node names are <prefix>-<i>', default: 'sim' },
  { name: 'first-index', type: 'number', help: 'Index of the first node (keeps names and fake IPs apart between runs)', default: 0 },
  { name: 'cpu', type: 'string', help: 'CPU capacity of each node', default: '32' },
  { name: 'memory', type: 'string', help: 'Memory capacity of each node', default: '256Gi' },
  { name: 'pods', type: 'string', help: 'Pod capacity of each node', default: '110' },
  { name: 'ephemeral-storage', type: 'string', help: 'Ephemeral storage capacity of each node', default: '100Gi' },
  { name: 'labels', type: 'list', help: 'Extra node labels k=v,… (repeatable)' },
  { name: 'taints', type: 'list', help: 'Node taints k=v:Effect,… (repeatable)' },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

export interface SimOptions {
  nodes: number;
  namePrefix: string;
  firstIndex?: number;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
}

export const defaultSimOptions: SimOptions = {
  nodes: 1,
  namePrefix: 'sim',
  cpu: '32',
  memory: '256Gi',
  pods: '110',
  ephemeralStorage: '100Gi',
  labels: {},
  taints: [],
};

export interface RunningSimulatedNodes {
  sim: SimNodes;
  /** Resolves once every node is registered and the pod cache is synced. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Starts simulated nodes on `client` until close(). */
export function startSimulatedNodes(client: ApiClient, opts: Partial<SimOptions>, clock: Clock, log: Logger): RunningSimulatedNodes {
  const o = { ...defaultSimOptions, ...opts };
  const sim = new SimNodes({
    client,
    clock,
    log,
    nodes: nodeSpecs({
      count: o.nodes,
      namePrefix: o.namePrefix,
      firstIndex: o.firstIndex,
      cpu: o.cpu,
      memory: o.memory,
      pods: o.pods,
      ephemeralStorage: o.ephemeralStorage,
      labels: o.labels,
      taints: o.taints,
    }),
  });
  const ac = new AbortController();
  const done = sim.run(ac.signal);
  // A failed start rejects `ready` too, so callers waiting on it hear about it.
  const ready = Promise.race([sim.ready(), done.then(() => undefined)]);
  done.catch((err) => log.error('simulated nodes stopped', { error: err }));
  return {
    sim,
    ready,
    close: async () => {
      ac.abort();
      await done.catch(() => undefined);
    },
  };
}

function quantityFlag(name: string, v: unknown): string {
  const s = String(v);
  const p = parseQuantity(s);
  if (!p.ok) throw new UsageError(`invalid --${name} "${s}": ${p.error}`);
  return s;
}

export function simOptionsFromFlags(values: Record<string, unknown>): SimOptions {
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 0) throw new UsageError('--nodes must be a whole number');
  try {
    return {
      nodes,
      namePrefix: String(values['name-prefix']),
      firstIndex: Number(values['first-index'] ?? 0),
      cpu: quantityFlag('cpu', values.cpu),
      memory: quantityFlag('memory', values.memory),
      pods: quantityFlag('pods', values.pods),
      ephemeralStorage: quantityFlag('ephemeral-storage', values['ephemeral-storage']),
      labels: parseLabels((values.labels as string[]) ?? []),
      taints: ((values.taints as string[]) ?? []).map(parseTaint),
    };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

export async function simCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, simFlags);
  if (values.help) {
    process.stdout.write(usage('sim', simFlags) + '\n');
    return 0;
  }
  if (!values.kubeconfig) throw new UsageError('--kubeconfig is required');
  const opts = simOptionsFromFlags(values);
  const log = createLogger({ component: 'sim' });
  const transport = new HttpsTransport(loadKubeconfig(String(values.kubeconfig)));
  const client = new ApiClient(transport, 'skiff-sim');
  const running = startSimulatedNodes(client, opts, realClock, log);
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  await Promise.race([running.ready, stopped]);
  const sig = await stopped;
  log.info(`received ${sig}, shutting down`);
  await running.close();
  transport.close();
  return 0;
}
