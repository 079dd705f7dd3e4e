/**
 * Field sets as server-side apply keeps them (structured-merge-diff's `fieldpath.Set`):
 * a trie of path elements, and its `FieldsV1` wire form stored in `metadata.managedFields`.
 *
 * A path element is kept in its wire spelling, which is also canonical:
 * - `f:<name>`          a struct field or map key
 * - `k:<json object>`   an item of a list keyed by `x-kubernetes-list-map-keys` (keys sorted)
 * - `v:<json value>`    an item of a `set` list
 * - `i:<index>`         an item addressed by position (accepted on input; skiff never makes it)
 * In FieldsV1 a `.` entry marks the parent element itself as a member when it also has children.
 */
import { isPlainObject } from '../object.js';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

export function keyElement(key: Record<string, unknown>): PathElement {
  return `k:${canonicalJson(key)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${canonicalJson(value)}`;
}

/** JSON with object keys sorted, so equal values always spell the same element. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// Upstream orders elements by kind first (fields, keys, values, indexes), then by content.
const KIND_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function compareElements(a: PathElement, b: PathElement): number {
  const ra = KIND_RANK[a[0]!] ?? 4;
  const rb = KIND_RANK[b[0]!] ?? 4;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i' && b[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Human form of one element, as in conflict messages: `.image`, `[name="c"]`, `[=value]`, `[0]`. */
export function elementString(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.keys(key)
        .map((k) => `${k}=${valueString(key[k])}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${valueString(JSON.parse(body))}]`;
    case 'i':
      return `[${body}]`;
    default:
      return '{{invalid path element}}';
  }
}

function valueString(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v);
}

/** Human form of a path, e.g. `.spec.template.spec.containers[name="c"].image`. */
export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

/** A set of field paths. Operations return new sets; only `insert` mutates. */
export class FieldSet {
  private readonly members = new Set<PathElement>();
  private readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    const [head, ...rest] = path as PathElement[];
    if (rest.length === 0) {
      this.members.add(head!);
      return;
    }
    let child = this.children.get(head!);
    if (!child) {
      child = new FieldSet();
      this.children.set(head!, child);
    }
    child.insert(rest);
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    const [head, ...rest] = path as PathElement[];
    if (rest.length === 0) return this.members.has(head!);
    return this.children.get(head!)?.has(rest) ?? false;
  }

  /** True when some member lies strictly below `path`. */
  hasDescendants(path: FieldPath): boolean {
    let node: FieldSet | undefined = this as FieldSet;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return false;
    }
    return !node.isEmpty();
  }

  /** The members below one element, relative to it. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(pe) ?? new FieldSet();
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.size();
    return n;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  /** Members of this set that are not members of `other` (membership only, no prefixes). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const oc = other.children.get(pe);
      const d = oc ? c.difference(oc) : c.copy();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const oc = other.children.get(pe);
      if (!oc) continue;
      const i = c.intersection(oc);
      if (!i.isEmpty()) out.children.set(pe, i);
    }
    return out;
  }

  /** Removes members of `other` together with everything below them. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (other.members.has(pe)) continue;
      const oc = other.children.get(pe);
      const d = oc ? c.recursiveDifference(oc) : c.copy();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  /** Adds every proper ancestor of every member as a member too. */
  withAncestors(): FieldSet {
    const out = new FieldSet();
    for (const p of this.paths()) for (let i = 1; i <= p.length; i++) out.insert(p.slice(0, i));
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** Every member path, in upstream's element order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]): void => {
      const keys = new Set<PathElement>([...s.members, ...s.children.keys()]);
      for (const pe of [...keys].sort(compareElements)) {
        if (s.members.has(pe)) out.push([...prefix, pe]);
        const c = s.children.get(pe);
        if (c) walk(c, [...prefix, pe]);
      }
    };
    walk(this, []);
    return out;
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  private copy(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const m of other.members) this.members.add(m);
    for (const [pe, c] of other.children) {
      let mine = this.children.get(pe);
      if (!mine) {
        mine = new FieldSet();
        this.children.set(pe, mine);
      }
      mine.addAll(c);
    }
  }

  /** @internal FieldsV1 encoding reads the trie directly. */
  entries(): { pe: PathElement; member: boolean; child?: FieldSet }[] {
    const keys = new Set<PathElement>([...this.members, ...this.children.keys()]);
    return [...keys].sort(compareElements).map((pe) => {
      const child = this.children.get(pe);
      return { pe, member: this.members.has(pe), child: child && !child.isEmpty() ? child : undefined };
    });
  }
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  return a.union(b);
}
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return a.difference(b);
}
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return a.intersection(b);
}

/** The FieldsV1 JSON of a set. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { pe, member, child } of set.entries()) {
    if (!child) {
      if (member) out[pe] = {};
      continue;
    }
    const inner = toFieldsV1(child);
    out[pe] = member ? { '.': {}, ...inner } : inner;
  }
  return out;
}

export class FieldsV1Error extends Error {
  override readonly name = 'FieldsV1Error';
}

/** Parses FieldsV1 JSON; throws FieldsV1Error on anything that is not a well-formed set. */
export function fromFieldsV1(json: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, prefix: PathElement[]): void => {
    if (!isPlainObject(node)) throw new FieldsV1Error(`expected an object at ${pathString(prefix) || '<root>'}`);
    for (const [k, v] of Object.entries(node)) {
      if (k === '.') {
        if (prefix.length === 0) throw new FieldsV1Error('"." is not allowed at the root');
        set.insert(prefix);
        continue;
      }
      const path = [...prefix, canonicalElement(k)];
      if (!isPlainObject(v)) throw new FieldsV1Error(`expected an object at ${pathString(path)}`);
      if (Object.keys(v).length === 0) set.insert(path);
      else walk(v, path);
    }
  };
  walk(json, []);
  return set;
}

function canonicalElement(pe: string): PathElement {
  const kind = pe.slice(0, 2);
  const body = pe.slice(2);
  switch (kind) {
    case 'f:':
      return pe;
    case 'i:':
      if (!/^\d+$/.test(body)) throw new FieldsV1Error(`invalid index element ${JSON.stringify(pe)}`);
      return pe;
    case 'k:':
    case 'v:': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new FieldsV1Error(`invalid path element ${JSON.stringify(pe)}`);
      }
      if (kind === 'k:' && !isPlainObject(parsed)) throw new FieldsV1Error(`invalid key element ${JSON.stringify(pe)}`);
      return kind + canonicalJson(parsed);
    }
    default:
      throw new FieldsV1Error(`unknown path element ${JSON.stringify(pe)}`);
  }
}
