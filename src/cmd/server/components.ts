/**
 * The components `skiff server` runs beside the API server, each talking to it through the
 * in-process transport with its own identity: the controller manager and the scheduler (each
 * leader-elected, so several servers on one store run one of each) and simulated nodes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import { InProcessTransport, type Handler } from '../../client/transport.js';
import { runControllerManager } from '../../controllers/manager.js';
import { builtinControllers } from '../../controllers/index.js';
import { defaultControllerConfig, type ControllerConfig } from '../../controllers/types.js';
import { startSimulatedNodes } from '../sim/command.js';

export interface ComponentsConfig {
  controllerManager: boolean;
  scheduler: boolean;
  simulateNodes: number;
  controllers: Partial<ControllerConfig>;
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
    tasks.push(
      runControllerManager(
        {
          client: clientFor('system:kube-controller-manager', [], 'skiff-controller-manager'),
          clock,
          log: log.child('controller-manager'),
          config: { ...defaultControllerConfig, ...cfg.controllers },
          identity,
          factories: builtinControllers(),
        },
        ac.signal,
      ),
    );
  }
  const sim = cfg.simulateNodes > 0
    ? startSimulatedNodes(clientFor('system:node:sim', ['system:nodes'], 'skiff-sim'), { nodes: cfg.simulateNodes }, clock, log.child('sim'))
    : undefined;
  return {
    close: async () => {
      ac.abort();
      await sim?.close();
      await Promise.allSettled(tasks);
      for (const t of transports) t.close();
    },
  };
}
