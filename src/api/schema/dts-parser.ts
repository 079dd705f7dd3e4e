/**
 * Reads one kubernetes-models model declaration (`apps/v1/DeploymentSpec.d.ts`) into an
 * OpenAPI schema. Those files are generated from upstream's OpenAPI document and are very
 * regular: one exported interface (or type alias) with a JSDoc block per property, and an
 * `export type { IX as IIoK8s…, X as IoK8s… }` line naming the upstream definition.
 *
 * NOTE: numbers come out as `type: number` without a format; the validator pass
 * (validator-formats.ts) knows which are int32/int64 and fixes them afterwards.
 */
import type { GroupVersionKind, Schema } from './types.js';
import { definitionNameOf } from './definition-names.js';

export interface ParsedDefinition {
  /** Upstream dotted name, e.g. `io.k8s.api.apps.v1.DeploymentSpec`. */
  name: string;
  /** PascalCase name, which is also the validator module's file name. */
  pascalName: string;
  schema: Schema;
}

const refPrefix = '#/components/schemas/';

export function parseModelDeclaration(text: string): ParsedDefinition | undefined {
  const aliases = localAliases(text);
  const exported = /export type \{ (\w+) as I(IoK8s\w+),/.exec(text);
  if (!exported) return undefined;
  const pascalName = exported[2];
  const name = definitionNameOf(pascalName);
  if (!name) return undefined;

  const iface = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export interface ${exported[1]}(?: extends [\\w, ]+)? \\{\\n([\\s\\S]*?)\\n\\}\\n`).exec(text);
  if (iface) {
    const schema = parseInterfaceBody(iface[2], aliases);
    const description = iface[1] ? jsdocText(iface[1]) : undefined;
    return { name, pascalName, schema: withDescription(schema, description) };
  }
  const alias = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export type ${exported[1]} = ([^;]+);`).exec(text);
  if (!alias) return undefined;
  const description = alias[1] ? jsdocText(alias[1]) : undefined;
  return { name, pascalName, schema: withDescription(typeSchema(alias[2].trim(), aliases), description) };
}

function withDescription(schema: Schema, description: string | undefined): Schema {
  return description ? { description, ...schema } : schema;
}

/** Local interface names → upstream definition names, from imports and the export line. */
function localAliases(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\b(I?\w+) as I(IoK8s\w+)\b/g)) {
    const name = definitionNameOf(m[2]);
    if (name) out.set(m[1], name);
  }
  return out;
}

function parseInterfaceBody(body: string, aliases: Map<string, string>): Schema {
  const lines = body.split('\n');
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  const literals: Record<string, string> = {};
  let doc: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '/**') {
      const start = i;
      while (!lines[i].trim().endsWith('*/')) i++;
      doc = jsdocText(lines.slice(start, i + 1).join('\n'));
      continue;
    }
    const prop = /^ {4}"([^"]+)"(\??): (.*)$/.exec(line);
    if (!prop) continue;
    let typeText = prop[3];
    if (typeText === '{') {
      const start = i + 1;
      while (lines[i].trim() !== '};') i++;
      typeText = `{ ${lines.slice(start, i).map((l) => l.trim()).join(' ')} }`;
    }
    typeText = typeText.replace(/;$/, '');
    const [fieldName, optional] = [prop[1], prop[2] === '?'];
    const single = /^"([^"]*)"$/.exec(typeText);
    if (single && (fieldName === 'apiVersion' || fieldName === 'kind')) {
      literals[fieldName] = single[1];
      typeText = 'string';
    }
    properties[fieldName] = withDescription(typeSchema(typeText, aliases), doc);
    if (!optional) required.push(fieldName);
    doc = undefined;
  }
  const schema: Schema = { type: 'object' };
  if (Object.keys(properties).length > 0) schema.properties = properties;
  else schema['x-kubernetes-preserve-unknown-fields'] = true;
  if (required.length > 0) schema.required = required;
  if (literals.apiVersion && literals.kind) {
    schema['x-kubernetes-group-version-kind'] = [gvkOf(literals.apiVersion, literals.kind)];
  }
  return schema;
}

function gvkOf(apiVersion: string, kind: string): GroupVersionKind {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

export function typeSchema(text: string, aliases: Map<string, string>): Schema {
  const array = /^Array<(.*)>$/.exec(text);
  if (array) return { type: 'array', items: typeSchema(array[1], aliases) };
  const map = /^\{ \[key: string\]: (.*); \}$/.exec(text);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1], aliases) };
  if (text === 'string' || text === 'boolean' || text === 'number') return { type: text };
  if (/^"[^"]*"( \| "[^"]*")*$/.test(text)) {
    return { type: 'string', enum: [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]) };
  }
  const ref = aliases.get(text) ?? (/^IIoK8s\w+$/.test(text) ? definitionNameOf(text.slice(1)) : undefined);
  if (ref) return { $ref: refPrefix + ref };
  // Unions of scalars (IntOrString, Quantity) are special-cased by the registry.
  return {};
}

function jsdocText(block: string): string {
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '/**' && l !== '*/')
    .map((l) => l.replace(/^\* ?/, ''))
    .join('\n')
    .trim()
    .replace(/\\\*/g, '*')
    .replace(/\\\//g, '/');
}
