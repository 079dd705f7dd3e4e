import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeClock } from '../../base/clock.js';
import { parseRequestPath } from '../request-info.js';
import { parseDuration, RequestLimits } from './request-limits.js';
import { rejectDotSegments } from './path-segments.js';
import { StatusError } from '../../api/status.js';

/** A response that records what was written; `finish()` ends it as a handler would. */
function fakeResponse() {
  const e = new EventEmitter() as EventEmitter & Record<string, unknown>;
  e.headersSent = false;
  e.writableEnded = false;
  e.written = { code: 0, body: '', headers: {} as Record<string, unknown> };
  e.writeHead = (code: number, headers: Record<string, unknown>) => {
    (e.written as { code: number }).code = code;
    (e.written as { headers: unknown }).headers = headers;
    e.headersSent = true;
    return e;
  };
  e.end = (body?: string) => {
    (e.written as { body: string }).body += body ?? '';
    e.writableEnded = true;
    e.emit('finish');
    return e;
  };
  return e as unknown as ServerResponse & { written: { code: number; body: string; headers: Record<string, unknown> } };
}

const req = (method: string) => ({ method, headers: {} }) as IncomingMessage;
const user = { name: 'alice', groups: ['system:authenticated'] };
const call = (l: RequestLimits, method: string, path: string, u = user) => {
  const res = fakeResponse();
  const url = new URL(path, 'https://x');
  l.filter(req(method), res, u, parseRequestPath(url.pathname), url);
  return res;
};
const code = (fn: () => unknown) => {
  try {
    fn();
    return 0;
  } catch (err) {
    return (err as StatusError).httpCode;
  }
};

test('in-flight limits: reads and writes counted apart, released on finish, masters and long-running exempt', () => {
  const l = new RequestLimits({ maxRequestsInFlight: 2, maxMutatingRequestsInFlight: 1, requestTimeoutMs: 0 }, new FakeClock());
  const a = call(l, 'GET', '/api/v1/pods');
  call(l, 'GET', '/api/v1/pods');
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods')), 429);
  call(l, 'POST', '/api/v1/namespaces/d/pods');
  assert.equal(code(() => call(l, 'DELETE', '/api/v1/namespaces/d/pods/x')), 429);
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods', { name: 'root', groups: ['system:masters'] })), 0);
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods?watch=true')), 0);
  assert.equal(code(() => call(l, 'GET', '/api/v1/namespaces/d/pods/p/log?follow=true')), 0);
  assert.equal(code(() => call(l, 'POST', '/api/v1/namespaces/d/pods/p/exec')), 0);
  a.end();
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods')), 0);
  try {
    call(l, 'GET', '/api/v1/pods');
    assert.fail('expected 429');
  } catch (err) {
    const s = (err as StatusError).toStatus();
    assert.equal(s.reason, 'TooManyRequests');
    assert.equal(s.message, 'Too many requests, please try again later.');
    assert.equal(s.details?.retryAfterSeconds, 1);
  }
});

test('watches per user are capped and released when the watch ends', () => {
  const l = new RequestLimits({ maxWatchesPerUser: 2 }, new FakeClock());
  const w = call(l, 'GET', '/api/v1/pods?watch=1');
  call(l, 'GET', '/api/v1/watch/configmaps');
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods?watch=true')), 429);
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods?watch=true', { name: 'bob', groups: [] })), 0);
  w.emit('close');
  assert.equal(code(() => call(l, 'GET', '/api/v1/pods?watch=true')), 0);
  assert.equal(l.counts().watches, 3);
});

test('a non-long-running request that outlives its timeout gets 504 and later writes are dropped', () => {
  const clock = new FakeClock();
  const l = new RequestLimits({ requestTimeoutMs: 60_000 }, clock);
  const slow = call(l, 'GET', '/api/v1/pods');
  const shorter = call(l, 'GET', '/api/v1/pods?timeout=5s');
  const watch = call(l, 'GET', '/api/v1/pods?watch=true');
  clock.advance(5_000);
  assert.equal(shorter.written.code, 504);
  assert.equal(slow.written.code, 0);
  clock.advance(55_000);
  assert.equal(slow.written.code, 504);
  assert.equal(JSON.parse(slow.written.body).reason, 'Timeout');
  slow.writeHead(200, {});
  slow.end('late');
  assert.equal(slow.written.code, 504);
  assert.equal(watch.written.code, 0);
});

test('Go durations', () => {
  for (const [s, ms] of [['30s', 30_000], ['1m30s', 90_000], ['500ms', 500], ['2h', 7_200_000], ['x', undefined], ['10', undefined]] as const) assert.equal(parseDuration(s), ms, s);
});

test('dot segments and encoded slashes in names are refused', () => {
  for (const [url, want] of [
    ['/api/v1/namespaces/default/configmaps/..', 400],
    ['/api/v1/namespaces/default/configmaps/%2e%2e?x=1', 400],
    ['/api/v1/namespaces/%2E/configmaps', 400],
    ['/api/v1/namespaces/default/configmaps/a%2Fb', 400],
    ['/api/v1/namespaces/default/pods/x/../status', 404],
    ['/api/v1/namespaces/default/configmaps/a..b', 0],
    ['/apis/apps/v1/deployments', 0],
  ] as const) assert.equal(code(() => rejectDotSegments(url)), want, url);
});
