/**
 * Duplicate object keys in a JSON text, as dotted paths (`metadata.name`). JSON.parse keeps
 * the last value silently; strict field validation must refuse such bodies as upstream does.
 * A single pass over the text, no allocation per value.
 */
interface Frame {
  kind: 'object' | 'array';
  path: string;
  keys?: Set<string>;
  index: number;
  /** The key just read in an object, until its value is done. */
  key?: string;
}

function child(frame: Frame | undefined): string {
  if (!frame) return '';
  if (frame.kind === 'array') return `${frame.path}[${frame.index}]`;
  return frame.path ? `${frame.path}.${frame.key}` : frame.key!;
}

export function findDuplicateFields(text: string): string[] {
  const found: string[] = [];
  const stack: Frame[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let s = '';
      let start = j;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          s += text.slice(start, j);
          s += JSON.parse(`"${text.slice(j, j + (text[j + 1] === 'u' ? 6 : 2))}"`);
          j += text[j + 1] === 'u' ? 5 : 1;
          start = j + 1;
        } else if (d === 34) break;
      }
      s += text.slice(start, j);
      i = j;
      const top = stack[stack.length - 1];
      if (expectingKey && top?.kind === 'object') {
        if (top.keys!.has(s)) found.push(top.path ? `${top.path}.${s}` : s);
        top.keys!.add(s);
        top.key = s;
        expectingKey = false;
      }
    } else if (c === 123 /* { */) {
      stack.push({ kind: 'object', path: child(stack[stack.length - 1]), keys: new Set(), index: 0 });
      expectingKey = true;
    } else if (c === 91 /* [ */) {
      stack.push({ kind: 'array', path: child(stack[stack.length - 1]), index: 0 });
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') expectingKey = true;
      else if (top) top.index++;
    }
  }
  return found;
}
