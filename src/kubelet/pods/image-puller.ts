/**
 * Makes a container's image available per imagePullPolicy, with upstream's events and the
 * ErrImagePull → ImagePullBackOff backoff. skiff nodes often have no registry: under policy
 * Always a failed pull of an image already on the node uses that image (a warning says so).
 */
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../base/clock.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { CriClient } from '../cri/cri-client.js';
import type { Image } from '../cri/types.js';
import type { Backoff } from './backoff.js';
import type { Container } from './pod-types.js';
import type { Waiting } from '../status/pod-status.js';

export class ImageWaiting extends Error {
  constructor(
    readonly waiting: Waiting,
    readonly retryInMs?: number,
  ) {
    super(waiting.message ?? waiting.reason);
  }
}

export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const last = image.split('/').pop() ?? '';
  const tagged = last.includes(':') && !image.includes('@');
  return !tagged || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

export class ImagePuller {
  constructor(
    private readonly cri: CriClient,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly backoff: Backoff,
  ) {}

  /** Returns the image (id and user) to create the container from. */
  async ensure(pod: KubeObject, c: Container, fieldPath: string): Promise<Image> {
    const image = c.image ?? '';
    const policy = pullPolicy(c);
    const present = await this.cri.imageStatus(image);
    const ev = (type: 'Normal' | 'Warning', reason: string, message: string) => this.recorder.event(pod, type, reason, message, fieldPath);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        ev('Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return present;
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      ev('Warning', 'ErrImageNeverPull', message);
      throw new ImageWaiting({ reason: 'ErrImageNeverPull', message });
    }
    const key = `${pod.metadata.uid}/image/${image}`;
    const last = this.lastFailure.get(key);
    const wait = last === undefined ? 0 : this.backoff.remaining(key, last);
    if (wait > 0) {
      const message = `Back-off pulling image "${image}"`;
      ev('Normal', 'BackOff', message);
      ev('Warning', 'Failed', 'Error: ImagePullBackOff');
      throw new ImageWaiting({ reason: 'ImagePullBackOff', message }, wait);
    }
    ev('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.clock.now();
    try {
      await this.cri.pullImage(image);
      const pulled = await this.cri.imageStatus(image);
      const secs = ((this.clock.now() - started) / 1000).toFixed(3);
      ev('Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${pulled?.size ?? 0} bytes.`);
      this.lastFailure.delete(key);
      if (pulled) return pulled;
      throw new Error('the runtime lost the image just pulled');
    } catch (err) {
      const msg = err instanceof Error ? err.message.replace(/^PullImage: /, '') : String(err);
      if (present) {
        ev('Warning', 'Failed', `Failed to pull image "${image}": ${msg}; using the image already on the node`);
        return present;
      }
      this.backoff.next(key);
      this.lastFailure.set(key, this.clock.now());
      ev('Warning', 'Failed', `Failed to pull image "${image}": ${msg}`);
      ev('Warning', 'Failed', 'Error: ErrImagePull');
      throw new ImageWaiting({ reason: 'ErrImagePull', message: `Failed to pull image "${image}": ${msg}` }, this.backoff.delay(key));
    }
  }

  private readonly lastFailure = new Map<string, number>();

  forget(uid: string): void {
    for (const k of this.lastFailure.keys()) if (k.startsWith(`${uid}/`)) this.lastFailure.delete(k);
    this.backoff.forgetPrefix(`${uid}/image/`);
  }
}
