/**
 * The cluster the controller end-to-end tests share (no tests of its own): an in-process
 * control plane with chosen real controllers, optionally the real scheduler and simulated
 * nodes, all on one clock. `close()` stops everything it started.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeObject } from '../../api/object.js';
import { realClock, type Clock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { InformerFactory } from '../../client/informer.js';
import { Scheduler } from '../../scheduler/index.js';
import { nodeSpecs } from '../../sim/node-spec.js';
import { SimNodes } from '../../sim/sim-nodes.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { controllerContext } from '../manager.js';
import { defaultControllerConfig, type Controller, type ControllerConfig, type ControllerContext, type ControllerFactory } from '../types.js';

export interface ClusterOptions {
  controllers: ControllerFactory[];
  clock?: Clock;
  scheduler?: boolean;
  simNodes?: number;
  config?: Partial<ControllerConfig>;
}

export interface TestCluster {
  cp: TestControlPlane;
  /** A client for the test itself. */
  client: ApiClient;
  ctx: ControllerContext;
  controllers: Controller[];
  /** Stops the controllers given in the options (to restart them with `startController`). */
  stopControllers(): Promise<void>;
  /** Starts a controller later (e.g. a restarted one) on fresh informers. */
  startController(f: ControllerFactory): Controller;
  close(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<TestCluster> {
  const clock = o.clock ?? realClock;
  const cp = await startControlPlane({ clock });
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  const running: Promise<void>[] = [];
  const config = { ...defaultControllerConfig, ...o.config };
  const managerClient = cp.client('skiff-controller-manager');
  const launch = (factories: ControllerFactory[]) => {
    const own = new AbortController();
    setMaxListeners(0, own.signal);
    ac.signal.addEventListener('abort', () => own.abort(), { once: true });
    const informers: InformerFactory = cp.informers(managerClient);
    const ctx = controllerContext({ client: managerClient, clock, log: silentLogger, config }, informers, 'test-host');
    const controllers = factories.map((f) => f(ctx));
    informers.start(own.signal);
    const runs = controllers.map((c) => c.run(own.signal));
    running.push(...runs);
    const stop = async () => {
      own.abort();
      await Promise.allSettled(runs);
    };
    return { ctx, controllers, stop };
  };
  const { ctx, controllers, stop } = launch(o.controllers);
  if (o.scheduler) {
    const client = cp.client('skiff-scheduler');
    const informers = cp.informers(client);
    const recorder = new EventRecorder(client, clock, silentLogger, 'default-scheduler');
    running.push(new Scheduler({ client, informers, clock, log: silentLogger, recorder }).run(ac.signal));
  }
  let sim: SimNodes | undefined;
  if (o.simNodes) {
    const nodes = nodeSpecs({ count: o.simNodes, namePrefix: 'sim', cpu: '32', memory: '256Gi', pods: '110', ephemeralStorage: '100Gi', labels: {}, taints: [] });
    sim = new SimNodes({ client: cp.client('skiff-sim'), clock, log: silentLogger, nodes });
    running.push(sim.run(ac.signal));
    await sim.ready();
  }
  return {
    cp,
    client: cp.client('e2e-test'),
    ctx,
    controllers,
    stopControllers: stop,
    startController: (f) => launch([f]).controllers[0],
    close: async () => {
      ac.abort();
      await Promise.allSettled(running);
      await cp.close();
    },
  };
}

/** Polls `fn` until it returns something other than undefined/false (bounded: ~2000 tries). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, tries = 2000): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await delay(5);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export const podTemplate = (labels: Record<string, string>, image = 'nginx:1.27') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m' } } }] },
});

export const labelsOf = (o: KubeObject) => o.metadata.labels ?? {};
