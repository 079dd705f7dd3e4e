/**
 * Builds upstream-named definitions from the installed kubernetes-models packages: structure
 * and descriptions from the model declarations, integer formats from the compiled validators.
 * Nothing from upstream is vendored; the dependency is the source of truth at startup.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelDeclaration } from './dts-parser.js';
import { scalarFactsByProperty, type ScalarFacts } from './validator-formats.js';
import type { Schema } from './types.js';

const packages = ['kubernetes-models', '@kubernetes-models/apimachinery'];

/** Scalar wrapper types whose meaning the declarations cannot express. */
const scalarOverrides: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
};

/** Definitions that hold arbitrary JSON, not necessarily an object. */
const anyJSON = new Set([
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
]);

const quantityDescription =
  'Quantity is a fixed-point representation of a number, written as a string such as "500m", "1Gi" or "2".';

export function loadModelDefinitions(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const pkg of packages) {
    const root = packageRoot(pkg);
    for (const file of declarationFiles(root)) {
      const parsed = parseModelDeclaration(readFileSync(file, 'utf8'));
      if (!parsed || out[parsed.name]) continue;
      const validator = join(root, '_schemas', `${parsed.pascalName}.js`);
      if (existsSync(validator)) applyScalarFacts(parsed.schema, scalarFactsByProperty(readFileSync(validator, 'utf8')));
      out[parsed.name] = parsed.schema;
    }
  }
  for (const [name, override] of Object.entries(scalarOverrides)) {
    const description = out[name]?.description ?? (name.endsWith('Quantity') ? quantityDescription : undefined);
    out[name] = description ? { description, ...override } : { ...override };
  }
  fixVolumeClaimTemplates(out['io.k8s.api.apps.v1.StatefulSetSpec']);
  fixJSONSchemaPropsNumbers(out['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps']);
  for (const name of anyJSON) {
    if (!out[name]) continue;
    const { type: _type, ...rest } = out[name];
    out[name] = rest;
  }
  return out;
}

/** The declaration inlines PersistentVolumeClaim's fields instead of naming the type. */
function fixVolumeClaimTemplates(schema: Schema | undefined): void {
  const prop = schema?.properties?.volumeClaimTemplates;
  if (prop) Object.assign(prop, { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.PersistentVolumeClaim' } });
}

/** JSONSchemaProps is recursive, so its validator inlines the checks this reader looks for. */
function fixJSONSchemaPropsNumbers(schema: Schema | undefined): void {
  for (const [field, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop.type !== 'integer') continue;
    if (field === 'maximum' || field === 'minimum' || field === 'multipleOf') Object.assign(prop, { type: 'number', format: 'double' });
    else prop.format = 'int64';
  }
}

function packageRoot(pkg: string): string {
  try {
    return dirname(fileURLToPath(import.meta.resolve(pkg)));
  } catch {
    // Compiled into a folder outside the project (e.g. a private tsc --outDir): look from cwd.
    for (let dir = process.cwd(); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', pkg);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) throw new Error(`cannot find package ${pkg}`);
    }
  }
}

function declarationFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== '_schemas' && entry.name !== 'node_modules') out.push(...declarationFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

function applyScalarFacts(schema: Schema, facts: Map<string, ScalarFacts>): void {
  for (const [field, prop] of Object.entries(schema.properties ?? {})) {
    const leaf = scalarLeaf(prop);
    if (!leaf) continue;
    const fact = facts.get(field);
    if (leaf.type === 'number') {
      // Upstream has almost no floating-point fields; an integer is the safe reading.
      leaf.type = fact?.type ?? 'integer';
      if (fact?.format) leaf.format = fact.format;
    } else if (leaf.type === 'string' && fact?.format === 'byte') {
      leaf.format = 'byte';
    }
  }
}

function scalarLeaf(schema: Schema): Schema | undefined {
  if (schema.type === 'array' && schema.items) return scalarLeaf(schema.items);
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') return scalarLeaf(schema.additionalProperties);
  return schema.type === 'number' || schema.type === 'string' ? schema : undefined;
}
