/** Pod volumes (upstream ValidateVolumes): unique DNS-label names, exactly one source. */
import { type FieldError, duplicate, forbidden, invalid, required } from '../field-errors.js';
import { isDNS1123Label } from './names.js';
import { list, rec, str, isSet } from './json-access.js';

const MAX_MODE = 0o777;

function validateMode(mode: unknown, field: string): FieldError[] {
  if (!isSet(mode)) return [];
  return Number.isInteger(mode) && (mode as number) >= 0 && (mode as number) <= MAX_MODE
    ? []
    : [invalid(field, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
}

function requireString(source: Record<string, unknown>, key: string, field: string): FieldError[] {
  return str(source[key]) ? [] : [required(`${field}.${key}`)];
}

function validateSource(kind: string, source: Record<string, unknown>, field: string): FieldError[] {
  const p = `${field}.${kind}`;
  switch (kind) {
    case 'hostPath':
      return requireString(source, 'path', p);
    case 'secret':
      return [...requireString(source, 'secretName', p), ...validateMode(source.defaultMode, `${p}.defaultMode`)];
    case 'configMap':
      return [...requireString(source, 'name', p), ...validateMode(source.defaultMode, `${p}.defaultMode`)];
    case 'persistentVolumeClaim':
      return requireString(source, 'claimName', p);
    case 'downwardAPI':
    case 'projected':
      return validateMode(source.defaultMode, `${p}.defaultMode`);
    case 'nfs':
      return [...requireString(source, 'server', p), ...requireString(source, 'path', p)];
    default:
      return [];
  }
}

/** Validates the volumes and returns their names (for volumeMount checks). */
export function validateVolumes(volumes: unknown, field: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  list(volumes).forEach((volume, i) => {
    const p = `${field}[${i}]`;
    const name = str(volume.name) ?? '';
    if (!name) errs.push(required(`${p}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    const sources = Object.keys(volume).filter((k) => k !== 'name' && isSet(volume[k]));
    if (sources.length === 0) errs.push(required(p, 'must specify a volume type'));
    sources.slice(1).forEach((extra) => errs.push(forbidden(`${p}.${extra}`, 'may not specify more than 1 volume type')));
    const first = sources[0];
    if (first) errs.push(...validateSource(first, rec(volume[first]) ?? {}, p));
  });
  return names;
}
