/**
 * The controller manager: every built-in controller in one process, running only while this
 * process holds the `kube-system/skiff-controller-manager` Lease. Losing the lease stops all
 * controllers (their signal aborts); a new leader starts from fresh informers.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { InformerFactory } from '../client/informer.js';
import { LeaderElector } from '../client/leader-election.js';
import type { ControllerConfig, ControllerContext, ControllerFactory } from './types.js';

export interface ControllerManagerOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  config: ControllerConfig;
  /** Unique per process: `<hostname>_<random>` like upstream. */
  identity: string;
  factories: ControllerFactory[];
  /** Lease name; tests may use their own. */
  leaseName?: string;
  onLeadingChanged?(leading: boolean): void;
}

export function controllerContext(opts: Pick<ControllerManagerOptions, 'client' | 'clock' | 'log' | 'config'>, informers: InformerFactory, host: string): ControllerContext {
  return {
    client: opts.client,
    informers,
    clock: opts.clock,
    log: opts.log,
    recorder: (component) => new EventRecorder(opts.client, opts.clock, opts.log, component, host),
    config: opts.config,
  };
}

/** Campaigns for the lease and runs the controllers while leading, until the signal aborts. */
export async function runControllerManager(opts: ControllerManagerOptions, signal: AbortSignal): Promise<void> {
  const running = new Set<Promise<void>>();
  const elector = new LeaderElector({
    client: opts.client,
    clock: opts.clock,
    log: opts.log,
    namespace: 'kube-system',
    name: opts.leaseName ?? 'skiff-controller-manager',
    identity: opts.identity,
    onStartedLeading: (leadSignal) => {
      // Every informer and queue of every controller listens on this one signal.
      setMaxListeners(0, leadSignal);
      opts.onLeadingChanged?.(true);
      const informers = new InformerFactory(opts.client, opts.clock, opts.log.child('informers'));
      const ctx = controllerContext(opts, informers, opts.identity.split('_')[0]);
      const controllers = opts.factories.map((f) => f(ctx));
      informers.start(leadSignal);
      for (const c of controllers) {
        const p = c.run(leadSignal).catch((err) => opts.log.error('controller stopped with an error', { controller: c.name, error: err }));
        running.add(p);
        void p.finally(() => running.delete(p));
      }
    },
    onStoppedLeading: () => opts.onLeadingChanged?.(false),
  });
  await elector.run(signal);
  await Promise.all(running);
}
