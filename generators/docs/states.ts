// A device profile's status rules as a Mermaid state diagram. States are the status bits the
// gates test (each combination of them) and, when gates speak of ownership, the owner as a
// second, concurrent region. A gate is a status rule, or, where the fd kind is executable, an
// owner, status or transition check on a request's path. Every edge and refusal comes from
// asking Behaviour.violations() about a representative state: allowed status changes are edges,
// refused requests are self-loops labelled with their errno. Nothing here decides a rule itself.
import type { AbiView, Behaviour, DeviceProfile, RequestState, Violation } from '../../src/model/index.ts';
import { behaviourOf } from './memo.ts';

export interface StateDiagram {
  /** The Mermaid source, without the fence. */
  readonly lines: readonly string[];
  /** The status bits drawn as states, in status-set order. */
  readonly bits: readonly string[];
}

interface Gate {
  requests: string[];
  readonly requires: readonly string[];
  readonly forbids: readonly string[];
  readonly owner?: 'required' | 'forbidden';
  readonly transition: boolean;
  readonly errno: string;
  /** Whether a violation reported by the model is this gate's. */
  readonly is: (v: Violation) => boolean;
}

/** The profile's gates: its status rules, then the gate checks on the paths of the requests it accepts. */
function gatesOf(b: Behaviour): Gate[] {
  const gates: Gate[] = b.rules.map((r) => ({
    requests: [...r.requests],
    requires: r.requires,
    forbids: r.forbids,
    ...(r.owner ? { owner: 'required' as const } : r.unowned ? { owner: 'forbidden' as const } : {}),
    transition: r.transition === 'only-add-bits-or-reset',
    errno: r.error,
    is: (v) => v.rule === r,
  }));
  if (!b.executable) return gates;
  const byCheck = new Map<string, Gate>();
  for (const q of b.accepted) {
    for (const c of b.path(q).checks) {
      if (c.kind !== 'owner' && c.kind !== 'status' && c.kind !== 'transition') continue;
      // One check of a shared sequence gates many requests: one gate.
      const key = JSON.stringify([c.from, c.id, c.kind, c.error]);
      const seen = byCheck.get(key);
      if (seen) seen.requests.push(q);
      else {
        const g: Gate = {
          requests: [q],
          requires: c.kind === 'status' ? c.requires : [],
          forbids: c.kind === 'status' ? c.forbids : [],
          ...(c.kind === 'owner' ? { owner: c.owner } : {}),
          transition: c.kind === 'transition',
          errno: c.error ?? 'EINVAL',
          is: (v) => v.check?.id === c.id && v.check.from === c.from,
        };
        byCheck.set(key, g);
        gates.push(g);
      }
    }
  }
  return gates;
}

/** Mermaid reads ':' as the start of a label, ';' as the end of a statement, '#' and braces as syntax. */
const label = (s: string): string => s.replace(/[;:#{}"]/g, ' ').replace(/\s+/g, ' ').trim();

function names(list: readonly string[]): string {
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
}

/** The part all status bit names share ('VIRTIO_CONFIG_S_'), left out of state labels. */
function commonPrefix(list: readonly string[]): string {
  if (list.length < 2) return '';
  let p = list[0] as string;
  for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p.slice(0, p.lastIndexOf('_') + 1);
}

/** One loop per state, its refusals one per line: Mermaid draws several loops of a state on top of each other. */
function selfLoops(refusals: ReadonlyMap<string, readonly string[]>): string[] {
  return [...refusals].map(([id, list]) => `${id} --> ${id} : ${list.map(label).join('<br/>')}`);
}

const refusedBy = (b: Behaviour, g: Gate, q: string, state: RequestState): Violation[] => b.violations(q, state).filter((v) => g.is(v));

function statusRegion(b: Behaviour, gates: readonly Gate[]): { lines: string[]; bits: string[] } {
  const all = [...b.statusBits];
  const tested = all.filter(([n]) => gates.some((g) => g.requires.includes(n) || g.forbids.includes(n)));
  const setters = gates.filter((g) => g.transition);
  if (all.length === 0 || (tested.length === 0 && setters.length === 0)) return { lines: [], bits: [] };
  const prefix = commonPrefix(all.map(([n]) => n));
  const short = (n: string): string => n.slice(prefix.length);
  // A bit no gate tests stands for "the rest of the status", so that dropping bits can be asked about.
  const extra = all.find(([n]) => !tested.some(([t]) => t === n))?.[1] ?? 0n;
  const states = Array.from({ length: 1 << tested.length }, (_, k) => {
    const on = tested.filter((_, i) => (k >> i) & 1).map(([n]) => n);
    const off = tested.filter((_, i) => !((k >> i) & 1)).map(([n]) => n);
    const mask = on.reduce((m, n) => m | (b.statusBits.get(n) ?? 0n), 0n);
    const text = [...on.map(short), ...off.map((n) => `no ${short(n)}`)].join(', ') || 'any status';
    return { id: `s${k}`, on, mask, text };
  });
  const lines = states.map((s) => `state "${label(s.text)}" as ${s.id}`);
  lines.push(`[*] --> ${states[0]?.id ?? 's0'}`);
  const refusals = new Map<string, string[]>();
  const refuse = (id: string, what: string): void => {
    refusals.set(id, [...(refusals.get(id) ?? []), what]);
  };
  for (const g of setters) {
    for (const q of g.requests) {
      for (const a of states) {
        const dropped = new Set<string>();
        const errnos = new Set<string>();
        for (const t of states) {
          if (t === a) continue;
          const added = t.on.filter((n) => !a.on.includes(n)).map((n) => `+${short(n)}`).join(' ');
          const tries = t.mask === 0n ? [{ value: 0n, text: `${q} 0 (reset)` }, ...(extra ? [{ value: extra, text: q }] : [])] : [{ value: t.mask | extra, text: `${q} ${added || 'keeping bits'}` }];
          for (const x of tries) {
            const v = refusedBy(b, g, q, { owner: true, status: a.mask | extra, value: x.value });
            if (v.length === 0) lines.push(`${a.id} --> ${t.id} : ${label(x.text)}`);
            else {
              for (const n of a.on.filter((n) => !t.on.includes(n))) dropped.add(short(n));
              for (const w of v) errnos.add(w.errno);
            }
          }
        }
        if (errnos.size) refuse(a.id, `${q} dropping ${[...dropped].join(' or ') || 'other bits'} (not 0) - ${[...errnos].join(', ')}`);
      }
    }
  }
  // Requests a status gate refuses in a state: a self-loop with the errno.
  for (const g of gates.filter((x) => x.requires.length || x.forbids.length)) {
    const q = g.requests[0];
    if (!q) continue;
    for (const a of states) if (refusedBy(b, g, q, { owner: true, status: a.mask | extra }).length) refuse(a.id, `${names(g.requests)} - ${g.errno}`);
  }
  return { lines: [...lines, ...selfLoops(refusals)], bits: tested.map(([n]) => n) };
}

function ownerRegion(b: Behaviour, gates: readonly Gate[]): string[] {
  const own = gates.filter((g) => g.owner);
  if (own.length === 0) return [];
  const lines = ['state "no owner" as unowned', 'state "owner" as owned', '[*] --> unowned', 'unowned --> owned : caller becomes owner'];
  const refusals = new Map<string, string[]>();
  for (const g of own) {
    const q = g.requests[0];
    if (!q) continue;
    // A status the gate's own status part accepts, so only ownership can refuse.
    const status = g.requires.reduce((m, n) => m | (b.statusBits.get(n) ?? 0n), 0n);
    for (const [id, owner] of [['unowned', false], ['owned', true]] as const) {
      if (refusedBy(b, g, q, { owner, status }).length) refusals.set(id, [...(refusals.get(id) ?? []), `${names(g.requests)} - ${g.errno}`]);
    }
  }
  return [...lines, ...selfLoops(refusals)];
}

export function stateDiagram(view: AbiView, device: DeviceProfile): StateDiagram {
  const b = behaviourOf(view, device.fd, device.name);
  const gates = b ? gatesOf(b) : [];
  const status = b ? statusRegion(b, gates) : { lines: [], bits: [] };
  const owner = b ? ownerRegion(b, gates) : [];
  const indent = (list: readonly string[], by: string): string[] => list.map((l) => `${by}${l}`);
  let body: string[];
  // Ownership and status change independently: two concurrent regions of one state.
  if (status.lines.length && owner.length) body = [`state "${label(device.name)}" as device {`, ...indent(owner, '  '), '  --', ...indent(status.lines, '  '), '}'];
  else if (status.lines.length || owner.length) body = [...status.lines, ...owner];
  else body = [`state "${label(device.name)}" as device`, '[*] --> device', 'note right of device : no status rules'];
  return { lines: ['stateDiagram-v2', ...indent(body, '  ')], bits: status.bits };
}
