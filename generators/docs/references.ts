// Links back: which requests take a struct, which fields carry a set, which profiles use a
// request set, what runs on an fd kind. Collected over every version of the source, so an entry
// lists its users whatever version they live at.
import type { CType, Member } from '../../src/model/index.ts';
import type { Catalog } from './catalog.ts';

export interface Reference {
  /** The catalogued item that refers (a request, a struct, a device profile, ...). */
  readonly from: string;
  /** How to show it when the item alone does not say enough ('struct vhost_vring_addr.flags'). */
  readonly label?: string;
}

export interface References {
  /** Items referring to an item (by its key, 'set:x'), in catalog order, each once. */
  to(key: string): readonly Reference[];
}

function aggregateOf(t: CType): string | undefined {
  if (t.kind === 'struct' || t.kind === 'union') return `type:${t.kind} ${t.tag}`;
  if (t.kind === 'pointer') return aggregateOf(t.to);
  if (t.kind === 'array') return aggregateOf(t.of);
  return undefined;
}

export function references(cat: Catalog): References {
  const refs = new Map<string, Map<string, Reference>>();
  const add = (to: string | undefined, r: Reference): void => {
    if (!to || to === cat.entries.get(r.from)?.key || !cat.find(to)) return;
    const m = refs.get(to) ?? new Map<string, Reference>();
    refs.set(to, m);
    const key = `${r.from}\0${r.label ?? ''}`;
    if (!m.has(key)) m.set(key, r);
  };
  const members = (from: string, prefix: string, list: readonly Member[]): void => {
    for (const m of list) {
      if (m.kind === 'field') {
        const label = `${prefix}.${m.name}`;
        add(aggregateOf(m.ctype), { from, label });
        if (m.flags) add(`set:${m.flags}`, { from, label });
        if (m.values) add(`set:${m.values}`, { from, label });
      } else if (m.kind === 'struct' || m.kind === 'union') {
        if (m.tag) add(`type:${m.kind} ${m.tag}`, { from, label: m.name ? `${prefix}.${m.name}` : prefix });
        members(from, m.name ? `${prefix}.${m.name}` : prefix, m.members);
      }
    }
  };
  for (const v of cat.source.checked) {
    const view = cat.source.at(v);
    for (const id of cat.entries.keys()) {
      const p = cat.at(id, v);
      if (!p) continue;
      switch (p.kind) {
        case 'request':
          if (p.item.argType) add(aggregateOf(p.item.argType), { from: id });
          for (const fd of p.item.scope) add(`fd:${fd}`, { from: id });
          break;
        case 'type':
          members(id, cat.entries.get(id)?.name ?? id, p.item.members);
          break;
        case 'device':
          add(`fd:${p.item.fd}`, { from: id });
          for (const s of p.item.requestSets) add(`request-set:${s}`, { from: id });
          for (const s of p.item.features) add(`set:${s}`, { from: id });
          for (const r of view.accepted(p.item.name)) add(`request:${r}`, { from: id });
          break;
        case 'channel':
          for (const fd of p.item.fds) add(`fd:${fd}`, { from: id });
          for (const r of p.item.records) add(aggregateOf(r.ctype), { from: id });
          break;
        case 'request-set':
          for (const r of p.item.requests) add(`request:${r}`, { from: id });
          break;
      }
    }
  }
  const order = new Map([...cat.entries.keys()].map((k, i) => [k, i]));
  return {
    to: (id) => [...(refs.get(id)?.values() ?? [])].sort((a, b) => (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) || (a.label ?? '').localeCompare(b.label ?? '')),
  };
}
