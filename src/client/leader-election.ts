/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go tools/leaderelection): the
 * holder renews every retry period; a lease not renewed for its duration may be taken over.
 * A leader that cannot renew within the renew deadline stops leading (its signal aborts).
 */
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from './client.js';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import { Resources } from './resources.js';
import { parseTime, rfc3339Micro } from './time-format.js';

export interface LeaderElectionConfig {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Runs while this process leads; its signal aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading?(): void;
  onNewLeader?(identity: string): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observedHolder = '';
  private leading: AbortController | undefined;
  private lastRenew = 0;

  constructor(private readonly cfg: LeaderElectionConfig) {
    this.leaseDurationMs = cfg.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = cfg.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = cfg.retryPeriodMs ?? 2_000;
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** Campaigns and leads until the signal aborts; releases the lease on the way out. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.cfg;
    while (!signal.aborted) {
      let ok = false;
      try {
        ok = await this.tryAcquireOrRenew();
      } catch (err) {
        log.debug('leader election attempt failed', { lease: this.cfg.name, error: err });
      }
      const now = clock.now();
      if (ok) {
        this.lastRenew = now;
        if (!this.leading) {
          this.leading = new AbortController();
          log.info('became leader', { lease: `${this.cfg.namespace}/${this.cfg.name}`, identity: this.cfg.identity });
          this.cfg.onStartedLeading(this.leading.signal);
        }
      } else if (this.leading && now - this.lastRenew > this.renewDeadlineMs) {
        this.stopLeading('failed to renew lease');
      }
      try {
        await clock.sleep(this.retryPeriodMs, signal);
      } catch {
        break;
      }
    }
    if (this.leading) {
      this.stopLeading('stopping');
      await this.release().catch(() => undefined);
    }
  }

  private stopLeading(why: string): void {
    this.cfg.log.info('stopped leading', { lease: this.cfg.name, reason: why });
    this.leading?.abort(new Error(why));
    this.leading = undefined;
    this.cfg.onStoppedLeading?.();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, clock, namespace, name, identity } = this.cfg;
    const now = clock.now();
    const nowText = rfc3339Micro(now);
    let lease: Lease;
    try {
      lease = await client.get<Lease>(Resources.leases, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await client.create(Resources.leases, namespace, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000), acquireTime: nowText, renewTime: nowText, leaseTransitions: 0 },
        });
        this.observe(identity);
        return true;
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.observe(holder);
    const renewed = parseTime(spec.renewTime) ?? 0;
    const duration = (spec.leaseDurationSeconds ?? 0) * 1000;
    const expired = !holder || renewed + duration < now;
    if (holder !== identity && !expired) return false;
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      renewTime: nowText,
    };
    if (holder !== identity) {
      next.acquireTime = nowText;
      next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    try {
      await client.update(Resources.leases, { ...lease, spec: next });
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.observe(identity);
    return true;
  }

  private observe(holder: string): void {
    if (holder && holder !== this.observedHolder) {
      this.observedHolder = holder;
      this.cfg.onNewLeader?.(holder);
    }
  }

  /** Gives the lease up so another candidate need not wait for it to expire. */
  private async release(): Promise<void> {
    const { client, namespace, name, identity } = this.cfg;
    const lease = await client.get<Lease>(Resources.leases, namespace, name);
    if (lease.spec?.holderIdentity !== identity) return;
    await client.update(Resources.leases, { ...lease, spec: { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: rfc3339Micro(this.cfg.clock.now()) } });
  }
}
