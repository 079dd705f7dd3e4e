import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { realClock } from '../../base/clock.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest } from './grpc-probe.js';
import { PROBE_USER_AGENT } from './http-probe.js';
import { resolvePort, runProbe } from './run-probe.js';

const noExec = { execSync: async () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 }) };
const listen = (s: net.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));

test('resolvePort by number and by container port name', () => {
  const c = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] };
  assert.equal(resolvePort(81, c), 81);
  assert.equal(resolvePort('82', c), 82);
  assert.equal(resolvePort('http', c), 8080);
  assert.equal(resolvePort('nope', c), undefined);
});

test('httpGet: status codes, headers, user agent', async () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const code = Number(req.url!.slice(1)) || 200;
    res.writeHead(code).end('body');
  });
  const port = await listen(server);
  try {
    const cases = [
      { path: '/200', ok: true, output: 'body' },
      { path: '/302', ok: true, output: 'body' },
      { path: '/500', ok: false, output: 'HTTP probe failed with statuscode: 500' },
      { path: '/404', ok: false, output: 'HTTP probe failed with statuscode: 404' },
    ];
    for (const c of cases) {
      const r = await runProbe({ httpGet: { port: 'web', path: c.path, httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, { containerId: 'x', container: { name: 'c', ports: [{ name: 'web', containerPort: port }] }, podIP: '127.0.0.1' }, 1, noExec, realClock);
      assert.deepEqual(r, { ok: c.ok, output: c.output }, c.path);
    }
    assert.equal(seen[0]['user-agent'], PROBE_USER_AGENT);
    assert.equal(seen[0]['x-probe'], 'yes');
  } finally {
    server.close();
  }
  const refused = await runProbe({ httpGet: { port } }, { containerId: 'x', container: { name: 'c' }, podIP: '127.0.0.1' }, 1, noExec, realClock);
  assert.equal(refused.ok, false);
  assert.match(refused.output, /connect: connection refused/);
});

test('tcpSocket: open and closed ports', async () => {
  const server = net.createServer((s) => s.end());
  const port = await listen(server);
  try {
    assert.equal((await runProbe({ tcpSocket: { port } }, { containerId: 'x', container: { name: 'c' }, podIP: '127.0.0.1' }, 1, noExec, realClock)).ok, true);
  } finally {
    server.close();
  }
  const r = await runProbe({ tcpSocket: { port } }, { containerId: 'x', container: { name: 'c' }, podIP: '127.0.0.1' }, 1, noExec, realClock);
  assert.deepEqual(r, { ok: false, output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('exec: exit code decides, output kept', async () => {
  const cri = { execSync: async (_id: string, cmd: string[]) => ({ stdout: Buffer.from(cmd.join(' ')), stderr: Buffer.alloc(0), exit_code: cmd[0] === 'true' ? 0 : 1 }) };
  const t = { containerId: 'x', container: { name: 'c' }, podIP: '' };
  assert.deepEqual(await runProbe({ exec: { command: ['true'] } }, t, 1, cri, realClock), { ok: true, output: 'true' });
  assert.deepEqual(await runProbe({ exec: { command: ['false', 'x'] } }, t, 1, cri, realClock), { ok: false, output: 'false x' });
});

test('grpc: health check messages and a real server', async () => {
  assert.deepEqual(decodeHealthCheckResponse(Buffer.from([0x08, 0x01])), 1);
  assert.deepEqual(encodeHealthCheckRequest('ab'), Buffer.from([0x0a, 0x02, 0x61, 0x62]));
  const server = new grpc.Server();
  const statuses: Record<string, number> = { '': 1, db: 2 };
  server.addService(
    {
      Check: {
        path: '/grpc.health.v1.Health/Check',
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: { service: string }) => encodeHealthCheckRequest(v.service),
        requestDeserialize: (b: Buffer) => ({ service: b.subarray(2).toString() }),
        responseSerialize: (v: number) => Buffer.from([0x08, v]),
        responseDeserialize: (b: Buffer) => decodeHealthCheckResponse(b),
      },
    },
    { Check: (call: grpc.ServerUnaryCall<{ service: string }, number>, cb: grpc.sendUnaryData<number>) => cb(null, statuses[call.request.service] ?? 3) },
  );
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  try {
    const t = { containerId: 'x', container: { name: 'c' }, podIP: '127.0.0.1' };
    assert.deepEqual(await runProbe({ grpc: { port } }, t, 2, noExec, realClock), { ok: true, output: '' });
    assert.deepEqual(await runProbe({ grpc: { port, service: 'db' } }, t, 2, noExec, realClock), { ok: false, output: 'service unhealthy (responded with "NOT_SERVING")' });
  } finally {
    server.forceShutdown();
  }
});
