/**
 * What every controller gets and provides. A controller registers its informer handlers in
 * its constructor (handlers only enqueue keys), and `run` waits for the informers to sync and
 * then works its queue until the signal aborts. `sync(key)` is level-based and idempotent:
 * it re-reads the informer caches, acts, and writes status; throwing requeues with backoff.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { InformerFactory } from '../client/informer.js';

export interface ControllerConfig {
  /** Pod network, split into per-node podCIDRs by node IPAM. */
  clusterCIDR: string;
  /** Size of each node's podCIDR (default 24). */
  nodeCIDRMaskSize: number;
  serviceCIDR: string;
  /** Node lifecycle: how long a node may miss heartbeats before it is NotReady/Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** The cluster CA (PEM) published as `kube-root-ca.crt` in every namespace; none = not published. */
  rootCACert?: string;
  /** The cluster CA (PEM certificate and PKCS#8 key) the CSR signer issues from; none = no signing. */
  clusterCA?: { cert: string; key: string };
}

export const defaultControllerConfig: ControllerConfig = {
  clusterCIDR: '10.42.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.43.0.0/16',
  nodeMonitorGracePeriodMs: 40_000,
};

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  clock: Clock;
  log: Logger;
  /** An event recorder whose source.component is `component` (e.g. `deployment-controller`). */
  recorder(component: string): EventRecorder;
  config: ControllerConfig;
}

export interface Controller {
  readonly name: string;
  /** Runs until the signal aborts (waits for its informers first). */
  run(signal: AbortSignal): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;
