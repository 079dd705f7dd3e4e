/**
 * Client certificate rotation: at the rotation deadline the node asks for a new certificate,
 * authenticated with the current one (the approver allows a node to renew its own), stores it
 * and switches the transport to it. Failures are retried with backoff while the old
 * certificate is still valid.
 */
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import { obtainClientCertificate, type NodeCredentials } from './bootstrap.js';
import { rotationDeadline, validity } from './client-certificate.js';
import type { RotatingTransport } from './rotating-transport.js';

export interface RotationOptions {
  credentials: NodeCredentials;
  transport: RotatingTransport;
  dataDir: string;
  nodeName: string;
  clock: Clock;
  log: Logger;
  /** Defaults to Math.random; tests pass a fixed value. */
  random?: () => number;
  onRotated?: (creds: NodeCredentials) => void;
}

// Node timers overflow beyond 2^31-1 ms; long waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;

export function startClientCertificateRotation(opts: RotationOptions): { close(): void } {
  const random = opts.random ?? Math.random;
  let creds = opts.credentials;
  let timer: Timer | undefined;
  let closed = false;
  const abort = new AbortController();

  const schedule = (at: number) => {
    if (closed) return;
    const wait = Math.max(0, at - opts.clock.now());
    timer = opts.clock.setTimeout(() => (opts.clock.now() >= at ? void rotate(RETRY_MIN_MS) : schedule(at)), Math.min(wait, MAX_TIMER_MS));
  };

  const rotate = async (backoff: number): Promise<void> => {
    if (closed) return;
    try {
      const client = new ApiClient(opts.transport, 'skiff-agent-rotation');
      const got = await obtainClientCertificate(client, { server: creds.server, dataDir: opts.dataDir, nodeName: opts.nodeName, signal: abort.signal }, creds.ca);
      creds = { ...creds, cert: got.cert, key: got.key };
      opts.transport.replace(creds);
      opts.log.info('rotated the node client certificate', { csr: got.csrName });
      opts.onRotated?.(creds);
      schedule(rotationDeadline(validity(creds.cert), random()));
    } catch (err) {
      if (closed) return;
      opts.log.warn('node client certificate rotation failed; retrying', { error: (err as Error).message, retryInMs: backoff });
      timer = opts.clock.setTimeout(() => void rotate(Math.min(backoff * 2, RETRY_MAX_MS)), backoff);
    }
  };

  schedule(rotationDeadline(validity(creds.cert), random()));
  return {
    close() {
      closed = true;
      timer?.cancel();
      abort.abort();
    },
  };
}
