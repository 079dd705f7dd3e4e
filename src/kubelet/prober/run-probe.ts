/** One attempt of a probe against one container, whichever handler the probe names. */
import type { Clock } from '../../base/clock.js';
import type { CriClient } from '../cri/cri-client.js';
import type { Container } from '../pods/pod-types.js';
import { grpcProbe } from './grpc-probe.js';
import { httpProbe } from './http-probe.js';
import type { Probe, ProbeOutcome } from './probe-types.js';
import { tcpProbe } from './tcp-probe.js';

export interface ProbeTarget {
  containerId: string;
  container: Container;
  podIP: string;
}

/** A port given by number, numeric string or the name of one of the container's ports. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(probe: Probe, t: ProbeTarget, timeoutSeconds: number, cri: Pick<CriClient, 'execSync'>, clock: Clock): Promise<ProbeOutcome> {
  if (probe.exec) {
    const cmd = probe.exec.command ?? [];
    try {
      const r = await cri.execSync(t.containerId, cmd, timeoutSeconds);
      const output = `${Buffer.from(r.stdout ?? '').toString('utf8')}${Buffer.from(r.stderr ?? '').toString('utf8')}`;
      return { ok: r.exit_code === 0, output };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/deadline|timeout|timed out/i.test(message)) return { ok: false, output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
      return { ok: false, output: message };
    }
  }
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = resolvePort(g.port, t.container);
    if (port === undefined) return { ok: false, output: `unable to find port "${g.port}" in container ${t.container.name}` };
    const scheme = (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'https' : 'http';
    return httpProbe({ scheme, host: g.host || t.podIP, port, path: g.path || '/', headers: g.httpHeaders ?? [] }, timeoutSeconds, clock);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, t.container);
    if (port === undefined) return { ok: false, output: `unable to find port "${probe.tcpSocket.port}" in container ${t.container.name}` };
    return tcpProbe(probe.tcpSocket.host || t.podIP, port, timeoutSeconds, clock);
  }
  if (probe.grpc) return grpcProbe(t.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutSeconds, clock);
  return { ok: false, output: 'missing probe handler' };
}
