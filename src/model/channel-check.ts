// validate for a channel's executable write(): record forms, errnos, status bits, and every
// name in every expression (the same C the evaluator in channel-write.ts runs).
import type { Position } from '../diagnostics.ts';
import { ERRNO_NAMES } from './errno.ts';
import { at, type VersionModel } from './project.ts';
import type * as M from './types.ts';

type Report = (pos: Position, rule: string, message: string, hint: string) => void;

/** Names the write evaluator defines itself (channel-write.ts). */
const BUILTIN = new Set(['owner', 'status', 'acked', 'len', 'form', 'record_size', 'sizeof', 'as.exists', 'as.overlap', 'batch.active', 'batch.asid', 'vma.found', 'vma.shared_file']);
/** The let names the evaluator reads for a state name or an effect (channel-write.ts). */
const NEEDS: Record<string, readonly string[]> = {
  'as.exists': ['asid'], 'as.overlap': ['asid', 'iova', 'size'], 'vma.found': ['uaddr'], 'vma.shared_file': ['uaddr'],
  'alloc-as': ['asid'], map: ['asid', 'iova', 'size'], unmap: ['asid', 'iova', 'size'], 'batch-begin': ['asid'], 'batch-end': ['asid'],
};
const NAMES = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g;
const TYPE_WORDS = /^(?:struct|union|int|unsigned|long|short|char|signed|__[us](?:8|16|32|64))$/;

/** Whether `path` (a.b.c) is a scalar field, through nested structs, of the aggregate `key`. */
function hasField(vm: VersionModel, key: string, path: string): boolean {
  const parts = path.split('.');
  let agg = vm.aggregates.get(key)?.item;
  for (let i = 0; agg && i < parts.length; i++) {
    const members: M.Member[] = agg.members.flatMap((m) => (m.kind === 'union' || m.kind === 'struct') && !m.name ? m.members : [m]);
    const f = members.find((m): m is M.FieldMember => m.kind === 'field' && m.name === parts[i]);
    if (!f) return false;
    if (i === parts.length - 1) return true;
    agg = f.ctype.kind === 'struct' || f.ctype.kind === 'union' ? vm.aggregates.get(`${f.ctype.kind} ${f.ctype.tag}`)?.item : undefined;
  }
  return false;
}

export function checkChannelWrite(vm: VersionModel, c: M.Channel, err: Report): void {
  const w = c.write;
  if (!w) return;
  const forms = c.records.filter((r) => r.direction === 'write' && r.form !== undefined);
  if (!forms.length) err(at(w, 'returns'), 'spec-unknown-name', `channel ${c.name}: write: needs write records with form:`, 'give each write record form: CONSTANT (the value of its leading field)');
  for (const r of forms) {
    if (vm.constants.get(r.form as string)?.value === undefined) err(c.pos, 'spec-unknown-name', `channel ${c.name}: form '${r.form}' is not a constant`, 'name the constant the leading field carries (VHOST_IOTLB_MSG_V2)');
  }
  const fds = c.fds.map((n) => vm.fds.get(n)).filter((f): f is M.FdKind => f !== undefined);
  const facts = new Set(fds.flatMap((f) => f.facts.map((x) => x.name)));
  const bits = new Set(fds.flatMap((f) => (f.status ? (vm.sets.get(f.status)?.item.values.map((v) => v.name) ?? []) : [])));
  const lets = new Set(w.lets.map((l) => l.name));
  const keys = forms.map((r) => (r.ctype.kind === 'struct' || r.ctype.kind === 'union' ? `${r.ctype.kind} ${r.ctype.tag}` : ''));
  const needs = (pos: Position, what: string, name: string): void => {
    for (const n of NEEDS[name] ?? []) if (!lets.has(n)) err(pos, 'spec-unknown-name', `${what}: '${name}' needs the let '${n}'`, `add let: [{ name: ${n}, value: ... }] (the message's ${n})`);
  };
  const names = (pos: Position, what: string, text: string): void => {
    for (const m of text.matchAll(NAMES)) {
      const name = m[0];
      needs(pos, what, name);
      if (/[0-9]/.test(text[(m.index ?? 0) - 1] ?? '') || BUILTIN.has(name) || lets.has(name) || TYPE_WORDS.test(name)) continue;
      if (name.startsWith('dev.')) {
        if (!facts.has(name.slice(4))) err(pos, 'spec-unknown-name', `${what}: '${name}' is not a fact of ${c.fds.join(', ')}`, `declare it under the fd's facts: (known: ${[...facts].join(', ') || 'none'})`);
        continue;
      }
      const field = name.startsWith('rec.') ? name.slice(4) : name.startsWith('offsetof.') ? name.slice(9) : undefined;
      if (field !== undefined) {
        if (!keys.some((k) => hasField(vm, k, field))) err(pos, 'spec-unknown-name', `${what}: no write record of ${c.name} has a field '${field}'`, `name a field of ${keys.join(' or ')}`);
        continue;
      }
      if (vm.constants.get(name)?.value === undefined && !vm.aggregates.has(`struct ${name}`)) err(pos, 'spec-unknown-name', `${what}: unknown name '${name}'`, 'use len, form, acked, owner, status, record_size, rec.FIELD, offsetof.FIELD, dev.FACT, as.*, batch.*, vma.*, a let name or a constant');
    }
  };
  names(at(w, 'returns'), `channel ${c.name} returns`, w.returns);
  for (const l of w.lets) {
    names(at(l, 'value'), `let ${l.name}`, l.value);
    if (l.when !== undefined) names(at(l, 'when'), `let ${l.name}`, l.when);
    if (l.otherwise !== undefined) names(at(l, 'otherwise'), `let ${l.name}`, l.otherwise);
  }
  if (w.handler && !ERRNO_NAMES.has(w.handler.surfacesAs)) err(w.pos, 'spec-unknown-name', `channel ${c.name}: surfaces-as '${w.handler.surfacesAs}' is not an errno name`, 'use the kernel\'s name, e.g. EFAULT');
  const checks = [...w.checks, ...(w.handler?.checks ?? [])];
  for (const k of checks) {
    if (k.error !== undefined && !ERRNO_NAMES.has(k.error)) err(at(k, 'error'), 'spec-unknown-name', `check ${k.id}: '${k.error}' is not an errno name`, 'use the kernel\'s name, e.g. EINVAL');
    if (k.kind === 'status') {
      for (const b of [...k.requires, ...k.forbids]) if (!bits.has(b)) err(k.pos, 'spec-unknown-name', `check ${k.id}: '${b}' is not a status bit of ${c.fds.join(', ')}`, 'use the bit names of the fd\'s status set');
    }
    if (k.kind === 'refuse' || k.kind === 'accept') names(at(k, k.kind), `check ${k.id}`, k.expr);
    if (k.kind === 'effect') {
      if (k.when !== undefined) names(at(k, 'when'), `check ${k.id}`, k.when);
      needs(at(k, 'effect'), `check ${k.id}`, k.effect);
    }
  }
}
