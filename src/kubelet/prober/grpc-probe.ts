/**
 * grpc probes: one unary call of the standard health-checking protocol
 * (`grpc.health.v1.Health/Check`), plaintext, to the pod IP. The two tiny messages are encoded
 * by hand: HealthCheckRequest{string service = 1}, HealthCheckResponse{ServingStatus status = 1}.
 */
import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../base/clock.js';
import { hostPort } from './http-probe.js';
import type { ProbeOutcome } from './probe-types.js';

const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export function encodeHealthCheckRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** The `status` field (1, varint) of a HealthCheckResponse; other fields are skipped. */
export function decodeHealthCheckResponse(buf: Buffer): number {
  let i = 0;
  let status = 0;
  const readVarint = (): number => {
    let v = 0;
    let shift = 0;
    while (i < buf.length) {
      const b = buf[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    return v;
  };
  while (i < buf.length) {
    const key = readVarint();
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = readVarint();
      if (field === 1) status = v;
    } else if (wire === 2) i += readVarint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return status;
}

export function grpcProbe(host: string, port: number, service: string, timeoutSeconds: number, clock: Clock): Promise<ProbeOutcome> {
  const addr = hostPort(host, port);
  const client = new grpc.Client(addr, grpc.credentials.createInsecure());
  return new Promise<ProbeOutcome>((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (req: { service: string }) => encodeHealthCheckRequest(req.service),
      (b: Buffer) => decodeHealthCheckResponse(b),
      { service },
      new grpc.Metadata({}),
      { deadline: new Date(clock.now() + timeoutSeconds * 1000) },
      (err, status) => {
        if (err) {
          if (err.code === grpc.status.DEADLINE_EXCEEDED || err.code === grpc.status.UNAVAILABLE) {
            resolve({ ok: false, output: `timeout: failed to connect service "${addr}" within ${timeoutSeconds}s: ${err.details}` });
          } else resolve({ ok: false, output: `rpc error: code = ${grpc.status[err.code]} desc = ${err.details}` });
          return;
        }
        if (status === 1) resolve({ ok: true, output: '' });
        else resolve({ ok: false, output: `service unhealthy (responded with "${STATUS_NAMES[status ?? 0] ?? status}")` });
      },
    );
  }).finally(() => client.close());
}
