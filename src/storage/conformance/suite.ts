/**
 * The one behaviour suite every Storage backend must pass (memory, sqlite, real etcd).
 * Assertions are relative to revisions observed in the test, because an etcd shared by the
 * whole file has one global revision; each test writes under its own key prefix.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StorageClosedError,
  type KeyValue,
  type Storage,
  type WatchEvent,
} from '../interface.js';

export type OpenStorage = () => Promise<{ storage: Storage; cleanup: () => Promise<void> }>;

let prefixCounter = 0;

export function runConformance(name: string, open: OpenStorage): void {
  /** Runs `body` against a fresh store under a fresh prefix. */
  const withStore = (title: string, body: (s: Storage, p: string) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const { storage, cleanup } = await open();
      try {
        await body(storage, `/registry/t${++prefixCounter}-${process.pid}/`);
      } finally {
        await cleanup();
      }
    });

  withStore('create and get', async (s, p) => {
    const kv = await s.create(`${p}a`, 'one');
    assert.equal(kv.key, `${p}a`);
    assert.equal(kv.value, 'one');
    assert.ok(kv.modRevision > 0);
    assert.equal(kv.createRevision, kv.modRevision);
    assert.deepEqual(await s.get(`${p}a`), kv);
    assert.equal(await s.get(`${p}missing`), undefined);
    await assert.rejects(s.create(`${p}a`, 'two'), (err) => err instanceof KeyExistsError && err.code === 'KeyExists');
    assert.equal((await s.get(`${p}a`))?.value, 'one');
    assert.equal(await s.currentRevision(), kv.modRevision);
  });

  withStore('update with compare-and-swap', async (s, p) => {
    const created = await s.create(`${p}a`, 'v1');
    const updated = await s.update(`${p}a`, 'v2', created.modRevision);
    assert.ok(updated.modRevision > created.modRevision);
    assert.equal(updated.createRevision, created.createRevision);
    assert.equal(updated.value, 'v2');
    assert.deepEqual(await s.get(`${p}a`), updated);
    await assert.rejects(
      s.update(`${p}a`, 'stale', created.modRevision),
      (err) => err instanceof ConflictError && err.expected === created.modRevision && err.actual === updated.modRevision,
    );
    await assert.rejects(s.update(`${p}missing`, 'x', 1), (err) => err instanceof NotFoundError && err.code === 'NotFound');
    assert.equal((await s.get(`${p}a`))?.value, 'v2');
  });

  withStore('delete with and without precondition', async (s, p) => {
    const a = await s.create(`${p}a`, 'va');
    const b = await s.create(`${p}b`, 'vb');
    await assert.rejects(s.delete(`${p}a`, a.modRevision + 100), (err) => err instanceof ConflictError && err.actual === a.modRevision);
    const deleted = await s.delete(`${p}a`, a.modRevision);
    assert.equal(deleted.value, 'va');
    assert.equal(deleted.createRevision, a.createRevision);
    assert.ok(deleted.modRevision > b.modRevision);
    assert.equal(await s.currentRevision(), deleted.modRevision);
    assert.equal(await s.get(`${p}a`), undefined);
    await assert.rejects(s.delete(`${p}a`), NotFoundError);
    await assert.rejects(s.update(`${p}a`, 'x', deleted.modRevision), NotFoundError);
    const deletedB = await s.delete(`${p}b`);
    assert.equal(deletedB.value, 'vb');
    // A key can be created again after a delete, with a new createRevision.
    const again = await s.create(`${p}a`, 'va2');
    assert.ok(again.createRevision > deletedB.modRevision);
    assert.equal(again.createRevision, again.modRevision);
  });

  withStore('one global revision, strictly increasing across keys and verbs', async (s, p) => {
    const revisions: number[] = [];
    for (let i = 0; i < 10; i++) {
      const kv = await s.create(`${p}k${i}`, `v${i}`);
      revisions.push(kv.modRevision);
      revisions.push((await s.update(`${p}k${i}`, `w${i}`, kv.modRevision)).modRevision);
    }
    revisions.push((await s.delete(`${p}k0`)).modRevision);
    for (let i = 1; i < revisions.length; i++) assert.ok(revisions[i] > revisions[i - 1], `revision ${i} increases`);
    assert.equal(await s.currentRevision(), revisions[revisions.length - 1]);
  });

  withStore('list: order, prefix boundaries, limit and startAfter', async (s, p) => {
    const names = ['c', 'a', 'e', 'b', 'd', 'f', 'g'];
    for (const n of names) await s.create(`${p}${n}`, `v-${n}`);
    await s.create(`${p.slice(0, -1)}x/outside`, 'no'); // shares the prefix minus its slash
    const before = `${p.slice(0, -1)}`; // a sibling key that sorts before the prefix
    await s.create(before, 'no');
    const all = await s.list(p);
    assert.deepEqual(all.items.map((kv) => kv.key), [...names].sort().map((n) => `${p}${n}`));
    assert.deepEqual(all.items.map((kv) => kv.value), [...names].sort().map((n) => `v-${n}`));
    assert.equal(all.more, false);
    assert.equal(all.revision, await s.currentRevision());

    const pages: string[][] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await s.list(p, { limit: 3, startAfter });
      pages.push(page.items.map((kv) => kv.key.slice(p.length)));
      if (!page.more) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    assert.deepEqual(pages, [['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    const exact = await s.list(p, { limit: 7 });
    assert.equal(exact.items.length, 7);
    assert.equal(exact.more, false);
    assert.deepEqual((await s.list(`${p}zz`)).items, []);
  });

  withStore('list at a past revision is a consistent snapshot while writes continue', async (s, p) => {
    const original = new Map<string, KeyValue>();
    for (let i = 0; i < 10; i++) {
      const kv = await s.create(`${p}k${i}`, `v${i}`);
      original.set(kv.key, kv);
    }
    const snapshot = await s.currentRevision();
    await s.update(`${p}k3`, 'changed', original.get(`${p}k3`)!.modRevision);
    await s.delete(`${p}k5`);
    await s.create(`${p}k10`, 'new');

    const seen: KeyValue[] = [];
    let startAfter: string | undefined;
    let round = 0;
    for (;;) {
      const page = await s.list(p, { revision: snapshot, limit: 4, startAfter });
      assert.equal(page.revision, snapshot);
      seen.push(...page.items);
      // Keep writing between pages: the snapshot must not move.
      await s.create(`${p}k${20 + round}`, 'later');
      await s.delete(`${p}k${round}`);
      round++;
      if (!page.more) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    assert.deepEqual(
      seen,
      [...original.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    const now = await s.list(p);
    assert.ok(now.items.every((kv) => !kv.key.endsWith('/k0')));
    assert.ok(now.items.some((kv) => kv.value === 'changed'));
  });

  withStore('count live keys under a prefix', async (s, p) => {
    assert.equal(await s.count(p), 0);
    for (let i = 0; i < 5; i++) await s.create(`${p}k${i}`, 'v');
    await s.create(`${p.slice(0, -1)}-other/k`, 'v');
    const kv = await s.get(`${p}k1`);
    await s.update(`${p}k1`, 'w', kv!.modRevision);
    await s.delete(`${p}k2`);
    assert.equal(await s.count(p), 4);
  });

  withStore('watch from a past revision replays what happened while nobody watched', async (s, p) => {
    const start = await s.currentRevision();
    const a = await s.create(`${p}a`, 'a1');
    await s.create(`${p.slice(0, -1)}-other/x`, 'not mine');
    const a2 = await s.update(`${p}a`, 'a2', a.modRevision);
    const b = await s.create(`${p}b`, 'b1');
    const del = await s.delete(`${p}a`);

    const w = collect(s, p, start);
    await w.until(4);
    const c = await s.create(`${p}c`, 'c1'); // live, after the replay
    await w.until(5);
    w.close();

    assert.deepEqual(w.errors, []);
    assert.deepEqual(
      w.events.map((e) => [e.type, e.kv.key.slice(p.length), e.kv.value, e.revision]),
      [
        ['create', 'a', 'a1', a.modRevision],
        ['update', 'a', 'a2', a2.modRevision],
        ['create', 'b', 'b1', b.modRevision],
        ['delete', 'a', 'a2', del.modRevision],
        ['create', 'c', 'c1', c.modRevision],
      ],
    );
    for (const e of w.events) assert.equal(e.kv.modRevision, e.revision);
    assert.equal(w.events[0].prevKv, undefined);
    assert.deepEqual(w.events[1].prevKv, a);
    assert.deepEqual(w.events[3].prevKv, a2);
    assert.equal(w.events[3].kv.createRevision, a.createRevision);
  });

  withStore('watch from the current revision gets only live events', async (s, p) => {
    await s.create(`${p}old`, 'x');
    const w = collect(s, p, await s.currentRevision());
    const n = await s.create(`${p}new`, 'y');
    const u = await s.update(`${p}new`, 'z', n.modRevision);
    await w.until(2);
    w.close();
    // Nothing more may arrive after close.
    await s.create(`${p}after-close`, 'q');
    await settle(s);
    assert.deepEqual(w.events.map((e) => [e.type, e.revision]), [['create', n.modRevision], ['update', u.modRevision]]);
    assert.deepEqual(w.events[1].prevKv, n);
  });

  withStore('many concurrent watchers from different revisions each see an exact stream', async (s, p) => {
    const revisions = [await s.currentRevision()];
    for (let i = 0; i < 10; i++) revisions.push((await s.create(`${p}k${i}`, `v${i}`)).modRevision);
    const watchers = Array.from({ length: 30 }, (_, i) => {
      const from = revisions[i % revisions.length];
      return { from, w: collect(s, p, from) };
    });
    const live: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => live.push((await s.create(`${p}live${i}`, 'l')).modRevision)),
    );
    const all = [...revisions.slice(1), ...live].sort((a, b) => a - b);
    for (const { from, w } of watchers) {
      const expected = all.filter((r) => r > from);
      await w.until(expected.length);
      await settle(s);
      w.close();
      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.events.map((e) => e.revision), expected, `watcher from ${from}`);
    }
  });

  withStore('compaction drops history but keeps live values', async (s, p) => {
    const a = await s.create(`${p}a`, 'a1');
    let cur = a;
    for (let i = 2; i <= 5; i++) cur = await s.update(`${p}a`, `a${i}`, cur.modRevision);
    const b = await s.create(`${p}b`, 'b1');
    await s.delete(`${p}b`);
    const c = await s.create(`${p}c`, 'c1');
    const target = c.modRevision;
    const laterUpdate = await s.update(`${p}c`, 'c2', c.modRevision);

    await s.compact(target);
    assert.ok((await s.compactedRevision()) >= target);
    await s.compact(target - 1); // already compacted: no error

    await assert.rejects(s.list(p, { revision: b.modRevision }), CompactedError);
    const atTarget = await s.list(p, { revision: target });
    assert.deepEqual(atTarget.items.map((kv) => [kv.key.slice(p.length), kv.value]), [['a', 'a5'], ['c', 'c1']]);
    assert.deepEqual(await s.get(`${p}a`), cur);
    assert.deepEqual(await s.get(`${p}c`), laterUpdate);
    assert.equal(await s.count(p), 2);

    const old = collect(s, p, b.modRevision);
    await old.failed();
    assert.ok(old.errors[0] instanceof CompactedError, String(old.errors[0]));
    assert.deepEqual(old.events, []);

    // Watching from the compacted revision itself works and sees the later update.
    const w = collect(s, p, target);
    await w.until(1);
    w.close();
    assert.deepEqual(w.events.map((e) => [e.type, e.revision, e.prevKv?.value]), [['update', laterUpdate.modRevision, 'c1']]);

    // The store keeps working after compaction.
    const d = await s.update(`${p}a`, 'a6', cur.modRevision);
    assert.ok(d.modRevision > laterUpdate.modRevision);
    await assert.rejects(s.compact((await s.currentRevision()) + 10), FutureRevisionError);
  });

  withStore('future revisions are refused', async (s, p) => {
    await s.create(`${p}a`, 'x');
    const current = await s.currentRevision();
    await assert.rejects(s.list(p, { revision: current + 100 }), (err) => err instanceof FutureRevisionError && err.code === 'FutureRevision');
    const w = collect(s, p, current + 100);
    await w.failed();
    assert.ok(w.errors[0] instanceof FutureRevisionError, String(w.errors[0]));
  });

  withStore('50 concurrent compare-and-swap increments lose no update', async (s, p) => {
    const key = `${p}counter`;
    const start = await s.create(key, '0');
    // All from the same revision: exactly one wins.
    const round = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => s.update(key, `r${i}`, start.modRevision)));
    const winners = round.filter((r) => r.status === 'fulfilled');
    assert.equal(winners.length, 1);
    assert.ok(round.every((r) => r.status === 'fulfilled' || r.reason instanceof ConflictError));
    const won = (winners[0] as PromiseFulfilledResult<KeyValue>).value;
    assert.deepEqual(await s.get(key), won);
    await s.update(key, '0', won.modRevision);

    // Read-modify-write with retry on conflict: every increment lands exactly once.
    let conflicts = 0;
    const increment = async () => {
      for (;;) {
        const kv = (await s.get(key))!;
        try {
          return await s.update(key, String(Number(kv.value) + 1), kv.modRevision);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          conflicts++;
        }
      }
    };
    const results = await Promise.all(Array.from({ length: 50 }, increment));
    assert.equal((await s.get(key))!.value, '50');
    assert.equal(new Set(results.map((r) => r.modRevision)).size, 50);
    assert.deepEqual(results.map((r) => Number(r.value)).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.ok(conflicts >= 0);
  });

  withStore('200 concurrent creates of distinct keys all land with distinct revisions', async (s, p) => {
    const before = await s.currentRevision();
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`${p}k${String(i).padStart(3, '0')}`, `v${i}`)));
    const revisions = new Set(created.map((kv) => kv.modRevision));
    assert.equal(revisions.size, 200);
    assert.ok(created.every((kv) => kv.modRevision > before));
    const list = await s.list(p);
    assert.equal(list.items.length, 200);
    assert.equal(await s.count(p), 200);
    for (const kv of created) assert.deepEqual(list.items[Number(kv.key.slice(-3))], kv);
    // Concurrent creates of the same key: exactly one wins.
    const same = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => s.create(`${p}same`, `v${i}`)));
    assert.equal(same.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(same.every((r) => r.status === 'fulfilled' || r.reason instanceof KeyExistsError));
  });

  test(`${name}: closing the store ends its watches and refuses calls`, async () => {
    const { storage: s, cleanup } = await open();
    try {
      const p = `/registry/closing-${++prefixCounter}/`;
      await s.create(`${p}a`, 'x');
      const w = collect(s, p, await s.currentRevision());
      await settle(s);
      await s.close();
      await w.failed();
      assert.ok(w.errors[0] instanceof StorageClosedError, String(w.errors[0]));
      await assert.rejects(s.get(`${p}a`), StorageClosedError);
      await assert.rejects(s.create(`${p}b`, 'y'), StorageClosedError);
    } finally {
      await cleanup();
    }
  });
}

interface Collector {
  events: WatchEvent[];
  errors: Error[];
  /** Resolves once at least `n` events arrived (rejects on a watch error). */
  until(n: number): Promise<void>;
  /** Resolves once the watch reported an error. */
  failed(): Promise<void>;
  close(): void;
}

function collect(s: Storage, prefix: string, after: number): Collector {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  let wake = () => {};
  const changed = () => wake();
  const watch = s.watch(prefix, after, {
    onEvents(batch) {
      assert.ok(batch.length > 0, 'batches are never empty');
      events.push(...batch);
      changed();
    },
    onError(err) {
      errors.push(err);
      changed();
    },
  });
  const waitFor = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
  };
  return {
    events,
    errors,
    until: async (n) => {
      await waitFor(() => events.length >= n || errors.length > 0);
      if (errors.length > 0 && events.length < n) throw errors[0];
    },
    failed: () => waitFor(() => errors.length > 0),
    close: () => watch.close(),
  };
}

/**
 * Lets in-flight deliveries land: a write followed by a watch that sees it means every
 * earlier event was delivered too (events arrive in revision order).
 */
async function settle(s: Storage): Promise<void> {
  const marker = `/registry/~settle/${process.pid}-${++prefixCounter}`;
  const w = collect(s, marker, await s.currentRevision());
  await s.create(marker, 'x');
  await w.until(1);
  w.close();
  await s.delete(marker);
}
