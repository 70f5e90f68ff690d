// Validates a spec file against the one JSON Schema and maps ajv's errors back to YAML positions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Diagnostic, Position } from '../diagnostics.ts';
import { packagePath } from '../package-root.ts';
import { contentHash } from './cache.ts';
import * as prebuilt from './schema-validator.gen.js';
import { posOf, toJsonView, type Raw } from './source.ts';

export const SCHEMA_PATH = packagePath('spec', 'schema', 'ioctl-abi.schema.json');

/** The ajv options of both the prebuilt validator (scripts/build-schema.ts) and the in-memory one. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false };

let validator: ValidateFunction | undefined;
let hash: string | undefined;

/** Hash of the schema in force: part of the parse cache's keys, so a schema change re-validates. */
export function schemaHash(): string {
  hash ??= contentHash(readFileSync(SCHEMA_PATH, 'utf8'));
  return hash;
}

/**
 * The validator for one schema text: the one compiled into the package when it was built from
 * this very text, else one ajv compiles now, in memory (the schema is being edited). Never code
 * from a cache directory: such a folder can hold files another user planted.
 */
export function validatorFor(schemaText: string): { validate: ValidateFunction; prebuilt: boolean } {
  if (prebuilt.SCHEMA_HASH === contentHash(schemaText)) return { validate: prebuilt.validate, prebuilt: true };
  // ajv itself (~400 ms of compile) is only loaded on this path; it ships CommonJS.
  const { default: Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return { validate: new Ajv2020(AJV_OPTIONS).compile(JSON.parse(schemaText)), prebuilt: false };
}

function compile(): ValidateFunction {
  validator ??= validatorFor(readFileSync(SCHEMA_PATH, 'utf8')).validate;
  return validator;
}

/** Finds the raw container holding the value at a JSON pointer, and the key within it. */
function locate(root: Raw, pointer: string): { container: object; key?: string } {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let container: object = root as object;
  let key: string | undefined;
  let current: Raw = root;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') break;
    container = current;
    key = part;
    current = (current as Record<string, Raw>)[part] ?? null;
  }
  return { container, key };
}

function positionAt(root: Raw, pointer: string, file: string, keyOf?: string): Position {
  const { container, key } = locate(root, pointer);
  const target = pointer === '' ? (root as object) : ((container as Record<string, Raw>)[key ?? ''] as object | null);
  if (keyOf && target && typeof target === 'object') {
    const p = posOf(target, `key:${keyOf}`);
    if (p) return p;
  }
  return posOf(container, key) ?? { file, line: 1, col: 1 };
}

const KIND_KEYS = 'include, define, macro, flags, features, status, set, enum, struct, union, request, raw';

export function validateSchema(root: Raw, file: string): Diagnostic[] {
  const validate = compile();
  if (validate(toJsonView(root))) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: Diagnostic): void => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  };
  // 'required' errors that belong to an anyOf/oneOf at the same place are folded into one message.
  const alternatives = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword === 'required' && errors.some((o) => (o.keyword === 'anyOf' || o.keyword === 'oneOf') && o.instancePath === e.instancePath)) {
      const list = alternatives.get(e.instancePath) ?? [];
      list.push(String((e.params as { missingProperty: string }).missingProperty));
      alternatives.set(e.instancePath, list);
    }
  }
  for (const e of errors) {
    const d = describe(e, alternatives);
    if (!d) continue;
    push({ ...positionAt(root, e.instancePath, file, d.keyOf), severity: 'error', rule: d.rule, message: d.message, hint: d.hint });
  }
  return out;
}

interface Described {
  rule: string;
  message: string;
  hint: string;
  keyOf?: string;
}

function describe(e: ErrorObject, alternatives: Map<string, string[]>): Described | undefined {
  const where = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const key = String(p.unevaluatedProperty ?? p.additionalProperty);
      return { rule: 'spec-unknown-key', message: `unknown key '${key}'`, hint: 'remove it or check its spelling against docs/spec-format.md', keyOf: key };
    }
    case 'required':
      if (alternatives.has(e.instancePath)) return undefined;
      return { rule: 'spec-missing-key', message: `missing key '${String(p.missingProperty)}'`, hint: 'add it (docs/spec-format.md lists the keys of each item kind)' };
    case 'anyOf':
    case 'oneOf': {
      const alts = alternatives.get(e.instancePath);
      if (alts && alts.length > 0 && alts.join(', ') === KIND_KEYS) {
        return { rule: 'spec-item-kind', message: 'item has no kind key', hint: `start the item with one of: ${KIND_KEYS}` };
      }
      if (alts && alts.length > 0) {
        return { rule: 'spec-missing-key', message: `needs one of: ${alts.join(', ')}`, hint: 'add exactly one of them' };
      }
      if (e.keyword === 'oneOf' && Array.isArray(p.passingSchemas)) {
        return { rule: 'spec-conflicting-keys', message: 'keys that exclude each other are used together', hint: 'keep only one of the alternatives' };
      }
      return undefined; // the errors of the branches say more
    }
    case 'not':
      return { rule: 'spec-conflicting-keys', message: 'feature-blacklist and feature-allowlist exclude each other', hint: 'a device filters with a blacklist or an allow-list, not both' };
    case 'type':
      return { rule: 'spec-type', message: `${where} must be ${String(p.type)}`, hint: 'fix the value type' };
    case 'enum':
      return { rule: 'spec-enum', message: `${where} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`, hint: 'pick one of the listed values' };
    case 'pattern':
      return { rule: 'spec-pattern', message: `${where} has the wrong form (${String(p.pattern)})`, hint: 'names are C identifiers; ids are lower-case-with-dashes; versions are major.minor' };
    default:
      return { rule: 'spec-schema', message: `${where} ${e.message ?? 'is invalid'}`, hint: 'see docs/spec-format.md' };
  }
}
