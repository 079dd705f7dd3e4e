/**
 * Label selectors: the query-string syntax (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) as
 * apimachinery pkg/labels/selector.go parses it, and metav1.LabelSelector objects.
 */
import { SkiffError } from '../../base/errors.js';

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | 'doesnotexist' | 'gt' | 'lt';
  values: string[];
}

export type LabelSelector = Requirement[];

export class SelectorParseError extends SkiffError {
  constructor(message: string) {
    super('SelectorParse', message);
  }
}

const keyRe = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string): void {
  if (!k || !keyRe.test(k) || k.length > 317) throw new SelectorParseError(`invalid label key "${k}"`);
}

function checkValue(v: string): void {
  if (v.length > 63 || !valueRe.test(v)) throw new SelectorParseError(`invalid label value: "${v}"`);
}

/** Splits on commas outside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(input: string): LabelSelector {
  const s = input.trim();
  if (!s) return [];
  const reqs: Requirement[] = [];
  for (const raw of splitTerms(s)) {
    const term = raw.trim();
    if (!term) throw new SelectorParseError(`found '', expected: !, identifier, or 'end of string'`);
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^!\s*([^\s=!<>(),]+)$/))) {
      checkKey(m[1]);
      reqs.push({ key: m[1], op: 'doesnotexist', values: [] });
    } else if ((m = term.match(/^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]);
      const values = m[3].split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '' && m[3].trim() === '') {
        throw new SelectorParseError(`for 'in', 'notin' operators, values set can't be empty`);
      }
      values.forEach(checkValue);
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values });
    } else if ((m = term.match(/^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/))) {
      checkKey(m[1]);
      const op = m[2];
      if (op === '>' || op === '<') {
        if (!/^-?\d+$/.test(m[3])) throw new SelectorParseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key: m[1], op: op === '>' ? 'gt' : 'lt', values: [m[3]] });
      } else {
        checkValue(m[3]);
        reqs.push({ key: m[1], op: op === '!=' ? 'notin' : 'in', values: [m[3]] });
      }
    } else if ((m = term.match(/^([^\s=!<>(),]+)$/))) {
      checkKey(m[1]);
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw new SelectorParseError(`unable to parse requirement: found '${term}'`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'doesnotexist':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const t = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > t) : !(n < t)) return false;
        break;
      }
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as requirements. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function fromLabelSelectorObject(obj: LabelSelectorObject | undefined | null): LabelSelector {
  if (!obj) return [];
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(obj.matchLabels ?? {})) reqs.push({ key: k, op: 'in', values: [v] });
  for (const e of obj.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists') reqs.push({ key: e.key, op: 'exists', values: [] });
    else if (op === 'DoesNotExist') reqs.push({ key: e.key, op: 'doesnotexist', values: [] });
    else throw new SelectorParseError(`"${op}" is not a valid label selector operator`);
  }
  return reqs;
}

/** metav1.FormatLabelSelector: `app=x,tier in (a,b),!gone`; empty selector → ''. */
export function formatLabelSelector(obj: LabelSelectorObject): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of obj.matchExpressions ?? []) {
    const vs = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vs})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vs})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
