/**
 * The components `skiff server` runs beside the API server, each talking to it through the
 * in-process transport with its own identity: the controller manager and the scheduler (each
 * leader-elected, so several servers on one store run one of each) and simulated nodes.
 * Their code is imported when they start, after the API server is serving: it is a large part
 * of the module graph and need not delay the first request.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import { InProcessTransport, type Handler } from '../../client/transport.js';
import { defaultControllerConfig, type ControllerConfig } from '../../controllers/types.js';
import { setMaxListeners } from 'node:events';
import { EventRecorder } from '../../client/event-recorder.js';
import { InformerFactory } from '../../client/informer.js';
import { LeaderElector } from '../../client/leader-election.js';
// One identity drives every simulated node; the default policy grants it what they do.
import { SIMULATED_NODES_USER } from '../../apiserver/rbac/default-policy.js';
import type { EmbeddedAgentConfig } from '../../kubelet/embedded.js';

export interface ComponentsConfig {
  controllerManager: boolean;
  scheduler: boolean;
  simulateNodes: number;
  controllers: Partial<ControllerConfig>;
  /** The node agent in this process (absent with --disable-agent). */
  agent?: EmbeddedAgentConfig;
}

export interface RunningComponents {
  close(): Promise<void>;
}

export function startComponents(handler: Handler, cfg: ComponentsConfig, clock: Clock, log: Logger): RunningComponents {
  const ac = new AbortController();
  const transports: InProcessTransport[] = [];
  const clientFor = (user: string, groups: string[], agent: string) => {
    const t = new InProcessTransport(handler, { user, groups });
    transports.push(t);
    return new ApiClient(t, agent);
  };
  const identity = `${hostname()}_${randomBytes(8).toString('hex')}`;
  const tasks: Promise<void>[] = [];
  if (cfg.controllerManager) {
    const client = clientFor('system:kube-controller-manager', [], 'skiff-controller-manager');
    tasks.push(
      (async () => {
        const [{ runControllerManager }, { builtinControllers }] = await Promise.all([
          import('../../controllers/manager.js'),
          import('../../controllers/index.js'),
        ]);
        await runControllerManager(
          {
            client,
            clock,
            log: log.child('controller-manager'),
            config: { ...defaultControllerConfig, ...cfg.controllers },
            identity,
            factories: builtinControllers(),
          },
          ac.signal,
        );
      })(),
    );
  }
  if (cfg.scheduler) {
    const client = clientFor('system:kube-scheduler', [], 'skiff-scheduler');
    const slog = log.child('scheduler');
    tasks.push(
      new LeaderElector({
        client,
        clock,
        log: slog,
        namespace: 'kube-system',
        name: 'skiff-scheduler',
        identity,
        onStartedLeading: (signal) => {
          setMaxListeners(0, signal);
          const informers = new InformerFactory(client, clock, slog);
          const recorder = new EventRecorder(client, clock, slog, 'default-scheduler');
          void import('../../scheduler/index.js')
            .then(({ Scheduler }) => new Scheduler({ client, informers, clock, log: slog, recorder }).run(signal))
            .catch((err) => slog.error('scheduler stopped', { error: err }));
        },
      }).run(ac.signal),
    );
  }
  const simClient = cfg.simulateNodes > 0 ? clientFor(SIMULATED_NODES_USER, [], 'skiff-sim') : undefined;
  const sim = simClient
    ? import('../sim/command.js').then(({ startSimulatedNodes }) => startSimulatedNodes(simClient, { nodes: cfg.simulateNodes }, clock, log.child('sim')))
    : undefined;
  // The agent acts as its node (system:node:<name>); role labels need the server's own rights.
  const agentCfg = cfg.agent;
  const agent = agentCfg
    ? (() => {
        const nodeClient = clientFor(`system:node:${agentCfg.nodeName}`, ['system:nodes'], 'skiff-agent');
        const serverClient = clientFor('system:skiff-server', ['system:masters'], 'skiff-server');
        return import('../../kubelet/embedded.js').then(({ startEmbeddedAgent }) =>
          startEmbeddedAgent(nodeClient, serverClient, agentCfg, clock, log.child('agent')),
        );
      })()
    : undefined;
  return {
    close: async () => {
      await (await agent?.catch(() => undefined))?.close();
      ac.abort();
      await (await sim?.catch(() => undefined))?.close();
      await Promise.allSettled(tasks);
      for (const t of transports) t.close();
    },
  };
}
