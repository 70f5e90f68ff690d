// gcc as the oracle for struct contents: every parsed struct/union is re-emitted as a
// copy under the item's own #if conditions, and gcc must agree that copy and original
// have the same size, alignment, member offsets and member types; every parsed
// enumerator must have the parsed value. A missing, misnamed or mistyped member fails.
import { describe, expect, it } from 'vitest';
import { parseHeader, type Cond, type HeaderItem, type Member } from '../../src/cheader/index.ts';
import { gccCompile, headerPath, kernel, KERNEL_LABELS, presentHeaders, readHeader, type Kernel } from './support.ts';

type Aggregate = Extract<HeaderItem, { kind: 'struct' | 'union' }>;
type Enum = Extract<HeaderItem, { kind: 'enum' }>;

function condLines(conds: Cond[]): { open: string; close: string } {
  const test = (c: Cond): string =>
    c.directive === 'ifdef' ? `defined(${c.expr})` : c.directive === 'ifndef' ? `!defined(${c.expr})` : `(${c.expr})`;
  const lines = conds.map((c) => {
    const prior = (c.prior ?? []).map((p) => `!${test(p)}`);
    const own = c.directive === 'else' ? [] : [test(c)];
    return `#if ${[...prior, ...own].join(' && ')}`;
  });
  return { open: lines.map((l) => `${l}\n`).join(''), close: conds.map(() => '#endif\n').join('') };
}

function renderMembers(members: Member[], indent: string): string {
  let out = '';
  for (const m of members) {
    const dims = 'dims' in m ? m.dims.map((d) => `[${d}]`).join('') : '';
    if (m.kind === 'field') {
      if (m.attributes.includes('__DECLARE_FLEX_ARRAY')) {
        out += `${indent}__DECLARE_FLEX_ARRAY(${m.type}, ${m.name});\n`;
        continue;
      }
      const bits = m.bits !== undefined ? ` : ${m.bits}` : '';
      const attrs = m.attributes.length ? ` ${m.attributes.join(' ')}` : '';
      out += `${indent}${m.type} ${m.name}${dims}${bits}${attrs};\n`;
    } else if (m.kind === 'struct' || m.kind === 'union') {
      const tag = m.tag ? ` copy_${m.tag}` : '';
      out += `${indent}${m.kind}${tag} {\n${renderMembers(m.members, `${indent}\t`)}${indent}}`;
      out += `${m.attributes.length ? ` ${m.attributes.join(' ')}` : ''}${m.name ? ` ${m.name}` : ''}${dims};\n`;
    } else if (m.kind === 'comment-free-other') {
      out += `${indent}${m.text}\n`;
    }
  }
  return out;
}

/** Named fields reachable from the aggregate without naming an anonymous member, with whether they are bit-fields / nested aggregates. */
function reachable(members: Member[]): Array<{ name: string; bitfield: boolean; aggregate: boolean }> {
  const out: Array<{ name: string; bitfield: boolean; aggregate: boolean }> = [];
  for (const m of members) {
    if (m.kind === 'field' && m.name) out.push({ name: m.name, bitfield: m.bits !== undefined, aggregate: false });
    else if ((m.kind === 'struct' || m.kind === 'union') && m.name) out.push({ name: m.name, bitfield: false, aggregate: true });
    else if ((m.kind === 'struct' || m.kind === 'union') && !m.name) out.push(...reachable(m.members));
  }
  return out;
}

function renderChecks(items: HeaderItem[], header: string): { source: string; fields: number } {
  let source = '';
  let fields = 0;
  let n = 0;
  for (const item of items) {
    const { open, close } = condLines(item.conds);
    if (item.kind === 'struct' || item.kind === 'union') {
      const s: Aggregate = item;
      const orig = `${s.kind} ${s.name}`;
      const copy = `${s.kind} copy_${s.name}`;
      const attrs = s.attributes.length ? ` ${s.attributes.join(' ')}` : '';
      source += open;
      source += `${copy} {\n${renderMembers(s.members, '\t')}}${attrs};\n`;
      source += `_Static_assert(sizeof(${copy}) == sizeof(${orig}), "${header}: sizeof ${s.name}");\n`;
      source += `_Static_assert(_Alignof(${copy}) == _Alignof(${orig}), "${header}: alignof ${s.name}");\n`;
      for (const f of reachable(s.members)) {
        fields++;
        const what = `${header}: ${s.name}.${f.name}`;
        if (f.bitfield) {
          source += `static void check_${n++}(${orig} *o, ${copy} *c) { (void)o->${f.name}; (void)c->${f.name}; }\n`;
          continue;
        }
        source += `_Static_assert(__builtin_offsetof(${copy}, ${f.name}) == __builtin_offsetof(${orig}, ${f.name}), "${what} offset");\n`;
        if (f.aggregate) {
          source += `_Static_assert(sizeof(((${copy} *)0)->${f.name}) == sizeof(((${orig} *)0)->${f.name}), "${what} size");\n`;
        } else {
          source += `_Static_assert(__builtin_types_compatible_p(__typeof__(((${copy} *)0)->${f.name}), __typeof__(((${orig} *)0)->${f.name})), "${what} type");\n`;
        }
      }
      source += close;
    } else if (item.kind === 'enum') {
      const e: Enum = item;
      source += open;
      source += `enum {\n${e.enumerators.map((x) => `\tcopy_${x.name}${x.value !== undefined ? ` = ${x.value}` : ''},\n`).join('')}};\n`;
      for (const x of e.enumerators) {
        source += `_Static_assert(copy_${x.name} == ${x.name}, "${header}: enumerator ${x.name}");\n`;
      }
      source += close;
    }
  }
  return { source, fields };
}

function checkSource(k: Kernel, mutate?: (items: HeaderItem[]) => void): { source: string; fields: number; structs: number } {
  let source = presentHeaders(k).map((h) => `#include <linux/${h}>\n`).join('');
  let fields = 0;
  let structs = 0;
  for (const h of presentHeaders(k)) {
    const parsed = parseHeader(readHeader(k, h), headerPath(k, h));
    mutate?.(parsed.items);
    const r = renderChecks(parsed.items, h);
    source += `/* ${h} */\n${r.source}`;
    fields += r.fields;
    structs += parsed.items.filter((i) => i.kind === 'struct' || i.kind === 'union').length;
  }
  return { source, fields, structs };
}

describe.each(KERNEL_LABELS)('linux %s: parsed structs and enums rebuilt and checked by gcc', (label) => {
  const k = kernel(label);

  it('copies have the originals\' size, alignment, offsets, member types; enumerators their values', () => {
    const { source, fields, structs } = checkSource(k);
    expect(structs).toBeGreaterThan(70);
    expect(fields).toBeGreaterThan(280);
    const r = gccCompile(k, source);
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
  });

  it('the check notices a dropped field, a wrong type, a lost attribute and a dropped enumerator', () => {
    const mutations: Array<[string, (items: HeaderItem[]) => boolean]> = [
      ['dropped field', (items) => {
        const s = items.find((i): i is Aggregate => i.kind === 'struct' && i.name === 'vfio_device_info');
        if (!s) return false;
        s.members = s.members.filter((m) => !(m.kind === 'field' && m.name === 'num_irqs'));
        return true;
      }],
      ['wrong type', (items) => {
        const s = items.find((i): i is Aggregate => i.kind === 'struct' && i.name === 'vhost_vring_addr');
        const f = s?.members.find((m) => m.kind === 'field' && m.name === 'flags');
        if (!f || f.kind !== 'field') return false;
        f.type = 'int';
        return true;
      }],
      ['lost packed', (items) => {
        const s = items.find((i): i is Aggregate => i.kind === 'struct' && i.name === 'virtio_scsi_cmd_req');
        if (!s) return false;
        s.attributes = [];
        return true;
      }],
      ['dropped enumerator', (items) => {
        // The first enumerator of an enum whose next one is implicit: every later value shifts.
        const e = items.find((i): i is Enum => i.kind === 'enum' && i.enumerators[1]?.value === undefined && i.enumerators.length > 1);
        if (!e) return false;
        e.enumerators = e.enumerators.slice(1);
        return true;
      }],
    ];
    for (const [what, mutate] of mutations) {
      let applied = false;
      const { source } = checkSource(k, (items) => {
        applied = mutate(items) || applied;
      });
      expect(applied, `${what} applied`).toBe(true);
      expect(gccCompile(k, source).ok, what).toBe(false);
    }
  });
});
