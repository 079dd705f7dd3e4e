/**
 * Field selectors (`metadata.name=x,status.phase!=Running`) as apimachinery pkg/fields
 * parses them: only `=`, `==` and `!=`, values compared as strings; backslash escapes.
 */
import { SkiffError } from '../../base/errors.js';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorParseError extends SkiffError {
  constructor(message: string) {
    super('FieldSelectorParse', message);
  }
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

export function parseFieldSelector(input: string): FieldRequirement[] {
  const s = input.trim();
  if (!s) return [];
  return splitUnescaped(s, ',').map((term) => {
    const m = term.match(/^([^=!]+?)\s*(!=|==|=)\s*(.*)$/s);
    if (!m) throw new FieldSelectorParseError(`invalid selector: '${term}'; can't understand '${term}'`);
    return { field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]) };
  });
}

export function matchesFields(reqs: FieldRequirement[], get: (field: string) => string | undefined): boolean {
  for (const r of reqs) {
    const v = get(r.field) ?? '';
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
