/**
 * How upstream prints labels and label selectors in table cells (apimachinery
 * labels.FormatLabels, metav1.FormatLabelSelector and LabelSelectorAsSelector(...).String()).
 */
import { arr, rec, str, strMap, strs } from './json-fields.js';

/** `a=1,b=2` with keys sorted; `<none>` for an empty map. */
export function formatLabels(labels: unknown): string {
  const m = strMap(labels);
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m[k]}`).join(',');
}

interface Requirement {
  key: string;
  text: string;
}

/**
 * The selector string of a metav1.LabelSelector (`app=x,tier in (a,b),!legacy`), `''` for
 * a nil or empty selector, undefined when the selector is invalid.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return '';
  const s = rec(selector);
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(strMap(s.matchLabels))) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expr of arr(s.matchExpressions)) {
    const key = str(expr.key);
    const values = strs(expr.values).slice().sort();
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        requirements.push({ key, text: `${key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})` });
        break;
      case 'Exists':
        if (values.length > 0) return undefined;
        requirements.push({ key, text: key });
        break;
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        requirements.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
    if (key === '') return undefined;
  }
  // Upstream orders requirements by key; ties keep their order (matchLabels first).
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}
