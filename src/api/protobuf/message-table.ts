/**
 * The data layout of skiff's protobuf wire facts, and its compiled form.
 *
 * A table maps message name → field number → field spec, a string `<jsonName> <type><presence>`:
 *   type      string | bool | int32 | int64 | double | bytes            scalars (bytes → base64)
 *             time | microtime | duration | quantity | intorstring      apimachinery types with
 *             raw (runtime.RawExtension) | fieldsv1 | strings            their own JSON forms
 *             Message | group.version.Message                           a message, same or other package
 *             []<type>                                                  repeated
 *             {<type>}                                                  map keyed by string
 *   name      a leading `...` inlines the message's fields into the parent (Go `json:",inline"`)
 *   presence  `?`  Go pointer: on the wire only when set, so kept even when zero
 *             `!`  Go value without omitempty: kept (or filled in) when zero
 *             none Go value with omitempty: dropped when zero (messages are never dropped,
 *                  as encoding/json never omits a struct)
 */
export type MessageTable = Readonly<Record<string, Readonly<Record<number, string>>>>;

export const SCALAR_KINDS = ['string', 'bool', 'int32', 'int64', 'double', 'bytes'] as const;
export const SPECIAL_KINDS = ['time', 'microtime', 'duration', 'quantity', 'intorstring', 'raw', 'fieldsv1', 'strings'] as const;

export type ScalarKind = (typeof SCALAR_KINDS)[number];
export type SpecialKind = (typeof SPECIAL_KINDS)[number];

export type ValueType =
  | { kind: ScalarKind }
  | { kind: SpecialKind }
  | { kind: 'message'; message: string };

export type Presence = 'pointer' | 'keep' | 'omitempty';

export interface FieldSpec {
  number: number;
  json: string;
  /** Go `json:",inline"`: the message's fields are merged into the parent object. */
  inline: boolean;
  value: ValueType;
  repeated: boolean;
  map: boolean;
  presence: Presence;
}

export interface CompiledMessage {
  /** Qualified name, e.g. `apps.v1.DeploymentSpec`. */
  name: string;
  fields: ReadonlyMap<number, FieldSpec>;
}

const SPEC = /^(\.\.\.)?([A-Za-z_$][\w$-]*) (\[\])?(\{)?([\w.]+)(\})?([?!])?$/;

/** Parses one field spec; message references are qualified against `pkg` (e.g. `core.v1`). */
export function parseFieldSpec(number: number, spec: string, pkg: string): FieldSpec {
  const m = SPEC.exec(spec);
  if (!m || Boolean(m[4]) !== Boolean(m[6]) || (m[3] && m[4])) throw new Error(`malformed protobuf field spec ${JSON.stringify(spec)}`);
  const [, spread, json, repeated, mapOpen, type, , mark] = m;
  const value = valueType(type, pkg);
  if (spread && (value.kind !== 'message' || repeated || mapOpen)) throw new Error(`only a single message can be inlined: ${JSON.stringify(spec)}`);
  return {
    number,
    json,
    inline: Boolean(spread),
    value,
    repeated: Boolean(repeated),
    map: Boolean(mapOpen),
    presence: mark === '?' ? 'pointer' : mark === '!' ? 'keep' : 'omitempty',
  };
}

function valueType(type: string, pkg: string): ValueType {
  if ((SCALAR_KINDS as readonly string[]).includes(type)) return { kind: type as ScalarKind };
  if ((SPECIAL_KINDS as readonly string[]).includes(type)) return { kind: type as SpecialKind };
  return { kind: 'message', message: type.includes('.') ? type : `${pkg}.${type}` };
}

/** Compiles the tables of several packages (keyed `group.version`) into one lookup. */
export function compileTables(packages: Readonly<Record<string, MessageTable>>): ReadonlyMap<string, CompiledMessage> {
  const out = new Map<string, CompiledMessage>();
  for (const [pkg, table] of Object.entries(packages)) {
    for (const [name, fields] of Object.entries(table)) {
      const compiled = new Map<number, FieldSpec>();
      for (const [number, spec] of Object.entries(fields)) compiled.set(Number(number), parseFieldSpec(Number(number), spec, pkg));
      out.set(`${pkg}.${name}`, { name: `${pkg}.${name}`, fields: compiled });
    }
  }
  for (const message of out.values()) {
    for (const field of message.fields.values()) {
      if (field.value.kind === 'message' && !out.has(field.value.message)) {
        throw new Error(`protobuf field ${message.name}.${field.json} refers to unknown message ${field.value.message}`);
      }
    }
  }
  return out;
}
