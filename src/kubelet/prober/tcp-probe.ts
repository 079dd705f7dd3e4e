/** tcpSocket probes: success when a TCP connection opens within the timeout. */
import net from 'node:net';
import { describeNetError, hostPort } from './http-probe.js';
import type { Clock } from '../../base/clock.js';
import type { ProbeOutcome } from './probe-types.js';

export function tcpProbe(host: string, port: number, timeoutSeconds: number, clock: Clock): Promise<ProbeOutcome> {
  const addr = hostPort(host, port);
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      timer.cancel();
      sock.destroy();
      resolve(o);
    };
    const timer = clock.setTimeout(() => finish({ ok: false, output: `dial tcp ${addr}: i/o timeout` }), timeoutSeconds * 1000);
    sock.once('connect', () => finish({ ok: true, output: '' }));
    sock.once('error', (err) => finish({ ok: false, output: describeNetError(err, 'tcp', addr) }));
  });
}
