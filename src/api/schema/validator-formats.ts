/**
 * kubernetes-models ships each definition's JSON schema only as compiled validator code
 * (`_schemas/IoK8sApiAppsV1DeploymentSpec.js`). The type declarations cannot tell int32 from
 * int64 from double, or a plain string from base64 `byte`; the validator code can. This reads
 * which property is checked by which local validator function and which type/format keywords
 * that function (and the local functions it calls) reports.
 */
export interface ScalarFacts {
  type?: 'integer' | 'number';
  format?: string;
}

export function scalarFactsByProperty(code: string): Map<string, ScalarFacts> {
  const chunks = functionChunks(code);
  const top = /export const validate=validate(\d+)/.exec(code)?.[1];
  const out = new Map<string, ScalarFacts>();
  if (top === undefined) return out;
  const topChunk = chunks.get(top) ?? '';
  for (const m of topChunk.matchAll(/validate(\d+)\(data(?:\.([A-Za-z_$][\w$]*)|\["([^"]+)"\])[,[]/g)) {
    const prop = m[2] ?? m[3];
    if (out.has(prop)) continue;
    const text = reachableText(m[1], chunks);
    const facts: ScalarFacts = {};
    const type = /params:\{type:"(integer|number)"\}/.exec(text)?.[1];
    if (type === 'integer' || type === 'number') facts.type = type;
    const format = /params:\{format:"([\w-]+)"\}/.exec(text)?.[1];
    if (format) facts.format = format;
    out.set(prop, facts);
  }
  return out;
}

/** Function id → source text from its header to the next function header. */
function functionChunks(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const headers = [...code.matchAll(/function validate(\d+)\(/g)];
  headers.forEach((h, i) => {
    const end = i + 1 < headers.length ? headers[i + 1].index : code.length;
    out.set(h[1], code.slice(h.index, end));
  });
  return out;
}

/** Text of a function and every local function it calls; imported validators are other definitions. */
function reachableText(id: string, chunks: Map<string, string>): string {
  const seen = new Set<string>();
  const queue = [id];
  let text = '';
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const chunk = chunks.get(next);
    if (chunk === undefined) continue;
    // The chunk's own header is a "call" to itself; skip it by starting after the name.
    const body = chunk.slice(chunk.indexOf('('));
    text += body;
    for (const call of body.matchAll(/validate(\d+)\(/g)) queue.push(call[1]);
  }
  return text;
}
