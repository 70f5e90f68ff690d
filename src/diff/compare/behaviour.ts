// Behaviour: fd kinds (status gates, quirks, the unknown-request errno) and device profiles
// (accepted requests, device id, feature filters, their own gates). A gate a released request
// did not have is a behaviour break; one that goes away is a change.
import type { AbiSnapshot, SnapshotChannelCheck, SnapshotChannelWrite, SnapshotCheck, SnapshotDevice, SnapshotFd, SnapshotPath, SnapshotRule } from '../../model/index.ts';
import { listNames, sharedWords, splitKeys, words, type PairContext } from '../context.ts';

interface Condition {
  error: string;
  at: string;
}

/** Where an owner's behaviour is written: status rules, and (executable fds) each request's checks. */
interface Source {
  rules: readonly SnapshotRule[];
  paths?: Record<string, SnapshotPath>;
  /** Which checks of a path belong to this owner (a profile's paths repeat its fd's checks). */
  mine?: (c: SnapshotCheck) => boolean;
}

const GATE_KINDS = new Set(['owner', 'status', 'transition']);

/** A request's gate conditions: 'owner', 'unowned', 'requires X', 'forbids X', 'transition T'. */
function conditions(src: Source, req: string): Map<string, Condition> {
  const out = new Map<string, Condition>();
  const put = (c: string, error: string | undefined, at: string): void => {
    if (!out.has(c)) out.set(c, { error: error ?? '?', at });
  };
  for (const r of src.rules.filter((x) => x.requests.includes(req))) {
    if (r.owner) put('owner', r.error, r.at);
    if (r.unowned) put('unowned', r.error, r.at);
    for (const b of r.requires) put(`requires ${b}`, r.error, r.at);
    for (const b of r.forbids) put(`forbids ${b}`, r.error, r.at);
    if (r.transition) put(`transition ${r.transition}`, r.error, r.at);
  }
  for (const c of handled(src, req)?.checks.filter((x) => GATE_KINDS.has(x.kind) && (src.mine?.(x) ?? true)) ?? []) {
    if (c.kind === 'owner') put(c.owner === 'forbidden' ? 'unowned' : 'owner', c.error, c.at);
    for (const b of c.requires ?? []) put(`requires ${b}`, c.error, c.at);
    for (const b of c.forbids ?? []) put(`forbids ${b}`, c.error, c.at);
    if (c.transition) put(`transition ${c.transition}`, c.error, c.at);
  }
  return out;
}

function handled(src: Source, req: string): SnapshotPath | undefined {
  const p = src.paths?.[req];
  return p?.kind === 'handled' ? p : undefined;
}

const isStatus = (c: string): boolean => c.startsWith('requires ') || c.startsWith('forbids ');

function describe(c: string): string {
  if (c === 'owner') return 'refused unless the caller owns the device';
  if (c === 'unowned') return 'refused once the device has an owner';
  if (c.startsWith('requires ')) return `refused unless ${c.slice(9)} is set`;
  if (c.startsWith('forbids ')) return `refused when ${c.slice(8)} is set`;
  return `refused when the value breaks ${c.slice(11)}`;
}

/**
 * Compares the behaviour of `owner` (an fd kind or a device) for requests that existed before.
 * Where one side states a request's behaviour as rules and the other as executable checks, only
 * requests the rules speak of are compared: rules never claimed to list every check.
 */
function compareBehaviour(ctx: PairContext, owner: string, b: Source, h: Source, existed: (req: string) => boolean): void {
  const named = (src: Source): string[] => [...src.rules.flatMap((r) => r.requests), ...Object.keys(src.paths ?? {})];
  let known: Set<string> | undefined;
  for (const req of [...new Set([...named(b), ...named(h)])].sort()) {
    if (!existed(req)) continue;
    const bx = Boolean(handled(b, req));
    const hx = Boolean(handled(h, req));
    if (bx !== hx) {
      const rulesSide = bx ? h : b;
      if (!rulesSide.rules.some((r) => r.requests.includes(req))) continue;
    }
    compareGates(ctx, owner, req, conditions(b, req), conditions(h, req));
    if (bx && hx) compareChecks(ctx, owner, req, handled(b, req) as SnapshotPath, handled(h, req) as SnapshotPath, b.mine, (known ??= factsOf(b)));
  }
}

function compareGates(ctx: PairContext, owner: string, req: string, old: Map<string, Condition>, neu: Map<string, Condition>): void {
  const item = `${req}@${owner}`;
  const added = [...neu.keys()].filter((c) => !old.has(c));
  const gone = [...old.keys()].filter((c) => !neu.has(c));
  const hadStatus = [...old.keys()].some(isStatus);
  const tightened = added.filter((c) => isStatus(c) && hadStatus);
  const fresh = added.filter((c) => !tightened.includes(c));
  const errnos = (cs: string[]): string => [...new Set(cs.map((c) => neu.get(c)?.error))].join('/');
  const firstAt = (cs: string[]): string | undefined => neu.get(cs[0] as string)?.at;
  const list = (m: Map<string, Condition>): string => [...m.keys()].join(', ');
  if (fresh.length) ctx.add({ rule: 'gate-added', item, headAt: firstAt(fresh), message: `${req} on ${owner}: now ${fresh.map(describe).join(', ')} (${errnos(fresh)})`, witnesses: [{ old: list(old) || 'no gate', new: list(neu) }] });
  if (tightened.length) ctx.add({ rule: 'gate-tightened', item, headAt: firstAt(tightened), message: `${req} on ${owner}: also ${tightened.map(describe).join(', ')} (${errnos(tightened)})`, witnesses: [{ old: list(old), new: list(neu) }] });
  if (gone.length) ctx.add({ rule: 'gate-removed', item, baseAt: old.get(gone[0] as string)?.at, message: `${req} on ${owner}: no longer ${gone.map(describe).join(', ')}`, witnesses: [{ old: list(old), new: list(neu) || 'no gate' }] });
  const byPair = new Map<string, string[]>();
  for (const c of [...neu.keys()].filter((x) => old.has(x) && old.get(x)?.error !== neu.get(x)?.error)) {
    const k = `${old.get(c)?.error} -> ${neu.get(c)?.error}`;
    byPair.set(k, [...(byPair.get(k) ?? []), c]);
  }
  for (const [pair, cs] of byPair) {
    const [o, n] = pair.split(' -> ') as [string, string];
    ctx.add({ rule: 'gate-errno-changed', item, baseAt: old.get(cs[0] as string)?.at, headAt: neu.get(cs[0] as string)?.at, message: `${req} on ${owner}: ${cs.join(', ')} now fails with ${n}, was ${o}`, witnesses: [{ old: o, new: n }] });
  }
}

const FACT = /\bdev\.([A-Za-z_]\w*)/g;

/** Device facts (dev.NAME) any check of a source reads. */
function factsOf(src: Source): Set<string> {
  const out = new Set<string>();
  for (const p of Object.values(src.paths ?? {})) for (const c of p.checks) for (const m of (c.expr ?? '').matchAll(FACT)) out.add(m[1] as string);
  return out;
}

/**
 * Argument and capability checks of two executable paths, matched by check id. A new refusal
 * that depends only on device facts the base never read describes a new device capability's
 * failure (calls that reach it could not succeed before), so it is a change, not a break.
 */
function compareChecks(ctx: PairContext, owner: string, req: string, b: SnapshotPath, h: SnapshotPath, mine: ((c: SnapshotCheck) => boolean) | undefined, knownFacts: ReadonlySet<string>): void {
  const pick = (p: SnapshotPath): Map<string, SnapshotCheck> => new Map(p.checks.filter((c) => !GATE_KINDS.has(c.kind) && (mine?.(c) ?? true)).map((c) => [c.id, c]));
  const bc = pick(b);
  const hc = pick(h);
  const what = (c: SnapshotCheck): string => `${c.id} (${c.kind}${c.expr ? ` ${c.expr}` : c.read ? ` ${c.read}` : c.write ? ` ${c.write}` : ''}${c.error ? `: ${c.error}` : ''})`;
  const item = `${req}@${owner}`;
  for (const [id, c] of hc) {
    const o = bc.get(id);
    if (!o) {
      // A step that can refuse is a break; a read or an early accept changes nothing that worked.
      const facts = [...(c.expr ?? '').matchAll(FACT)].map((m) => m[1] as string);
      const newCapability = facts.length > 0 && facts.every((f) => !knownFacts.has(f)) && !/\b(arg|head|status|owner)\b/.test((c.expr ?? '').replace(FACT, ''));
      const refuses = c.error !== undefined && c.kind !== 'accept' && !newCapability;
      ctx.add({ rule: refuses ? 'check-added' : 'check-changed', item: `${item} ${id}`, headAt: c.at, message: `${req} on ${owner}: new step ${what(c)}${newCapability ? ` (reads only device facts the base never read: ${facts.join(', ')})` : ''}` });
    } else if ((o.error ?? '') !== (c.error ?? '')) {
      ctx.add({ rule: 'gate-errno-changed', item: `${item} ${id}`, baseAt: o.at, headAt: c.at, message: `${req} on ${owner}: check ${id} now fails with ${c.error ?? 'nothing'}, was ${o.error ?? 'nothing'}`, witnesses: [{ old: o.error ?? '', new: c.error ?? '' }] });
    } else if ((o.expr ?? '') !== (c.expr ?? '') || o.kind !== c.kind) {
      ctx.add({ rule: 'check-changed', item: `${item} ${id}`, baseAt: o.at, headAt: c.at, message: `${req} on ${owner}: check ${id} is now ${what(c)}, was ${what(o)}`, witnesses: [{ old: o.expr ?? o.kind, new: c.expr ?? c.kind }] });
    }
  }
  for (const [id, o] of bc) if (!hc.has(id)) ctx.add({ rule: 'check-removed', item: `${item} ${id}`, baseAt: o.at, message: `${req} on ${owner}: step ${what(o)} is gone` });
  if (b.end !== h.end) ctx.add({ rule: 'gate-errno-changed', item, message: `${req} on ${owner}: answers ${h.end} when every check passes, answered ${b.end}`, witnesses: [{ old: b.end, new: h.end }] });
}

function requestOn(snap: AbiSnapshot, req: string, fd: string): boolean {
  return Boolean(snap.requests[req]?.scope.includes(fd));
}

export function compareFds(ctx: PairContext): void {
  const { removed, common, added } = splitKeys(ctx.base.fds, ctx.head.fds);
  for (const name of removed) ctx.add({ rule: 'fd-removed', item: `fd ${name}`, message: `fd kind ${name} was removed`, baseAt: ctx.base.fds[name]?.at, tombstoneOf: { section: 'fds', key: name } });
  for (const name of added) ctx.add({ rule: 'fd-added', item: `fd ${name}`, message: `fd kind ${name} was added`, headAt: ctx.head.fds[name]?.at });
  for (const name of common) {
    const b = ctx.base.fds[name] as SnapshotFd;
    const h = ctx.head.fds[name] as SnapshotFd;
    const ob = b.unknownRequest ?? 'ENOTTY';
    const oh = h.unknownRequest ?? 'ENOTTY';
    if (ob !== oh) ctx.add({ rule: 'unknown-request-errno-changed', item: `fd ${name}`, baseAt: b.at, headAt: h.at, message: `fd kind ${name}: unknown requests now get ${oh}, was ${ob}`, witnesses: [{ old: ob, new: oh }] });
    compareBehaviour(ctx, name, { rules: b.rules, ...(b.paths ? { paths: b.paths } : {}) }, { rules: h.rules, ...(h.paths ? { paths: h.paths } : {}) }, (req) => requestOn(ctx.base, req, name) && requestOn(ctx.head, req, name));
    compareQuirks(ctx, name, b, h);
  }
}

function compareQuirks(ctx: PairContext, fd: string, b: SnapshotFd, h: SnapshotFd): void {
  const bq = new Map(b.quirks.map((q) => [q.name, q]));
  const hq = new Map(h.quirks.map((q) => [q.name, q]));
  // A quirk of requests that are all new (or all gone) documents them; it changes nothing that was.
  const allNew = (reqs: readonly string[]): boolean => reqs.length > 0 && reqs.every((r) => !(r in ctx.base.requests));
  const allGone = (reqs: readonly string[]): boolean => reqs.length > 0 && reqs.every((r) => !(r in ctx.head.requests));
  for (const [n, q] of bq) if (!hq.has(n) && !allGone(q.requests)) ctx.add({ rule: 'quirk-removed', item: `quirk ${n}@${fd}`, baseAt: q.at, message: `${fd}: quirk ${n} (${q.errno.join('/') || 'no errno'} on ${listNames(q.requests, 3) || 'unknown requests'}) is gone` });
  for (const [n, q] of hq) {
    const o = bq.get(n);
    if (!o) {
      // A new quirk with an errno on requests that existed is a new refusal.
      if (!allNew(q.requests)) ctx.add({ rule: q.errno.length ? 'quirk-added' : 'quirk-noted', item: `quirk ${n}@${fd}`, headAt: q.at, message: `${fd}: quirk ${n} (${q.errno.join('/') || 'no errno'} on ${listNames(q.requests, 3) || 'unknown requests'})` });
      continue;
    }
    const oe = [...o.errno].sort().join('/');
    const ne = [...q.errno].sort().join('/');
    if (oe !== ne) ctx.add({ rule: 'quirk-errno-changed', item: `quirk ${n}@${fd}`, baseAt: o.at, headAt: q.at, message: `${fd}: quirk ${n} now gives ${ne || 'no errno'}, gave ${oe || 'no errno'}`, witnesses: [{ old: oe, new: ne }] });
    // Only requests both sides have: a quirk that now names a new request changes nothing old.
    const lost = o.requests.filter((r) => !q.requests.includes(r) && r in ctx.head.requests);
    const gained = q.requests.filter((r) => !o.requests.includes(r) && r in ctx.base.requests);
    if (lost.length || gained.length) {
      ctx.add({ rule: 'quirk-changed', item: `quirk ${n}@${fd}`, baseAt: o.at, headAt: q.at, message: `${fd}: quirk ${n} ${[...(gained.length ? [`now also covers ${listNames(gained, 4)}`] : []), ...(lost.length ? [`no longer covers ${listNames(lost, 4)}`] : [])].join(', ')}` });
    }
  }
}

/** Removed and added profiles of one fd kind are one profile renamed when their names are close. */
function pairDevices(ctx: PairContext, removed: string[], added: string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  const free = new Set(added);
  for (const o of removed) {
    const od = ctx.base.devices[o] as SnapshotDevice;
    const candidates = [...free].filter((n) => {
      const nd = ctx.head.devices[n] as SnapshotDevice;
      return nd.fd === od.fd && (!od.deviceId || !nd.deviceId || od.deviceId === nd.deviceId);
    });
    candidates.sort((x, y) => sharedWords(o, y) - sharedWords(o, x) || Math.abs(words(x).length - words(o).length) - Math.abs(words(y).length - words(o).length) || x.localeCompare(y));
    const best = candidates[0];
    if (best && sharedWords(o, best) > 0) {
      // Another removed profile may fit it better: the closest pair wins.
      const rivals = removed.filter((r) => r !== o && !pairs.has(r) && ctx.base.devices[r]?.fd === od.fd);
      const better = rivals.some((r) => sharedWords(r, best) > sharedWords(o, best) || (sharedWords(r, best) === sharedWords(o, best) && Math.abs(words(r).length - words(best).length) < Math.abs(words(o).length - words(best).length)));
      if (!better) {
        pairs.set(o, best);
        free.delete(best);
      }
    }
  }
  return pairs;
}

export function compareDevices(ctx: PairContext): void {
  const { removed, common, added } = splitKeys(ctx.base.devices, ctx.head.devices);
  const paired = pairDevices(ctx, removed, added);
  const pairedTo = new Set(paired.values());
  for (const name of removed) if (!paired.has(name)) ctx.add({ rule: 'device-removed', item: `device ${name}`, message: `device profile ${name} was removed`, baseAt: ctx.base.devices[name]?.at, tombstoneOf: { section: 'devices', key: name } });
  for (const name of added) if (!pairedTo.has(name)) ctx.add({ rule: 'device-added', item: `device ${name}`, message: `device profile ${name} was added`, headAt: ctx.head.devices[name]?.at });
  for (const name of common) compareDevice(ctx, name, name);
  for (const [o, n] of paired) compareDevice(ctx, o, n);
}

/** Feature names a profile knows: the values of its feature sets. */
function universe(snap: AbiSnapshot, d: SnapshotDevice): string[] {
  return d.features.flatMap((id) => snap.sets[id]?.values ?? []).filter((n) => !snap.constants[n]?.sentinel);
}

function offered(d: SnapshotDevice, feature: string): boolean {
  if (d.featureBlacklist) return !d.featureBlacklist.includes(feature);
  if (d.featureAllowlist) return d.featureAllowlist.includes(feature);
  return true;
}

function compareDevice(ctx: PairContext, oldName: string, newName: string): void {
  const b = ctx.base.devices[oldName] as SnapshotDevice;
  const h = ctx.head.devices[newName] as SnapshotDevice;
  const label = oldName === newName ? newName : `${oldName} (now ${newName})`;
  const item = `device ${newName}`;
  const at = { baseAt: b.at, headAt: h.at };
  if ((b.deviceId ?? '') !== (h.deviceId ?? '') && h.deviceId) {
    ctx.add({ rule: 'device-id-changed', item, ...at, message: `device profile ${label} serves ${h.deviceId} only, ${b.deviceId ? `was ${b.deviceId}` : 'served any device type'}`, witnesses: [{ old: b.deviceId ?? 'any', new: h.deviceId }] });
  }
  if ((b.maxQueues ?? Infinity) !== (h.maxQueues ?? Infinity)) {
    const fewer = (h.maxQueues ?? Infinity) < (b.maxQueues ?? Infinity);
    const text = (n: number | undefined): string => (n === undefined ? 'no limit' : String(n));
    ctx.add({ rule: fewer ? 'device-queues-limited' : 'device-queues-raised', item, ...at, message: `device profile ${label} drives ${text(h.maxQueues)} queues, was ${text(b.maxQueues)}`, witnesses: [{ old: text(b.maxQueues), new: text(h.maxQueues) }] });
  }
  const dropped = b.accepted.filter((r) => !h.accepted.includes(r));
  const gained = h.accepted.filter((r) => !b.accepted.includes(r));
  for (const r of dropped) ctx.add({ rule: 'device-request-dropped', item: `${r}@${newName}`, ...at, message: `device profile ${label} no longer accepts ${r}` });
  for (const r of gained) ctx.add({ rule: 'device-request-added', item: `${r}@${newName}`, ...at, message: `device profile ${label} accepts ${r}` });

  // Feature filters: compare what passes, over the features both sides know (a brand-new bit
  // passing a blacklist is new, not newly offered; a bit gone from the sets is reported there).
  const oldKnown = new Set(universe(ctx.base, b));
  const newKnown = new Set(universe(ctx.head, h));
  const filterText = (d: SnapshotDevice): string => (d.featureBlacklist ? `blacklist [${d.featureBlacklist.join(' ')}]` : d.featureAllowlist ? `allow-list of ${d.featureAllowlist.length}` : 'no filter');
  for (const f of [...new Set([...oldKnown, ...newKnown])].sort()) {
    const was = oldKnown.has(f) && offered(b, f);
    const now = newKnown.has(f) && offered(h, f);
    if (now && !was && (oldKnown.has(f) || h.featureAllowlist?.includes(f))) {
      ctx.add({ rule: 'feature-newly-offered', item: `${f}@${newName}`, ...at, message: `device profile ${label} now offers ${f} (${filterText(h)}, was ${filterText(b)})`, witnesses: [{ old: 'filtered', new: 'offered' }] });
    } else if (was && !now && newKnown.has(f)) {
      ctx.add({ rule: 'feature-withheld', item: `${f}@${newName}`, ...at, message: `device profile ${label} no longer offers ${f} (${filterText(h)}, was ${filterText(b)})`, witnesses: [{ old: 'offered', new: 'filtered' }] });
    }
  }
  // A profile's own checks only: its paths repeat the fd's, which are compared on the fd.
  const mine = (c: SnapshotCheck): boolean => c.from.startsWith('profile ');
  compareBehaviour(ctx, newName, { rules: b.rules, ...(b.paths ? { paths: b.paths } : {}), mine }, { rules: h.rules, ...(h.paths ? { paths: h.paths } : {}), mine }, (req) => b.accepted.includes(req) && h.accepted.includes(req));
}

export function compareChannels(ctx: PairContext): void {
  const { removed, common, added } = splitKeys(ctx.base.channels, ctx.head.channels);
  for (const name of removed) ctx.add({ rule: 'channel-removed', item: `channel ${name}`, message: `channel ${name} was removed`, baseAt: ctx.base.channels[name]?.at, tombstoneOf: { section: 'channels', key: name } });
  for (const name of added) ctx.add({ rule: 'channel-added', item: `channel ${name}`, message: `channel ${name} was added`, headAt: ctx.head.channels[name]?.at });
  for (const name of common) {
    const b = ctx.base.channels[name];
    const h = ctx.head.channels[name];
    if (!b || !h) continue;
    const at = { baseAt: b.at, headAt: h.at };
    const key = (r: { type: string; direction: string }): string => `${r.direction} ${r.type}`;
    const hr = new Map(h.records.map((r) => [key(r), r]));
    const br = new Map(b.records.map((r) => [key(r), r]));
    for (const [k, r] of br) {
      const n = hr.get(k);
      if (!n) ctx.add({ rule: 'channel-record-removed', item: `channel ${name} ${k}`, ...at, message: `channel ${name} no longer carries ${r.type} (${r.direction})` });
      else if ((r.when ?? '') !== (n.when ?? '')) ctx.add({ rule: 'channel-record-gate-changed', item: `channel ${name} ${k}`, ...at, message: `channel ${name}: ${r.type} (${r.direction}) is used ${n.when ? `when ${n.when}` : 'always'}, was ${r.when ? `when ${r.when}` : 'always'}`, witnesses: [{ old: r.when ?? 'always', new: n.when ?? 'always' }] });
      else if ((r.form ?? '') !== (n.form ?? '')) ctx.add({ rule: 'channel-record-gate-changed', item: `channel ${name} ${k}`, ...at, message: `channel ${name}: ${r.type} (${r.direction}) is selected by ${n.form ?? 'no leading value'}, was ${r.form ?? 'no leading value'}`, witnesses: [{ old: r.form ?? '-', new: n.form ?? '-' }] });
    }
    for (const [k, r] of hr) if (!br.has(k)) ctx.add({ rule: 'channel-record-added', item: `channel ${name} ${k}`, ...at, message: `channel ${name} carries ${r.type} (${r.direction})${r.when ? ` when ${r.when}` : ''}` });
    const lost = b.fds.filter((f) => !h.fds.includes(f));
    if (lost.length) ctx.add({ rule: 'channel-fd-dropped', item: `channel ${name}`, ...at, message: `channel ${name} is no longer on ${listNames(lost)}` });
    compareChannelWrite(ctx, name, b.write, h.write, at);
  }
}

/** Kinds of write() check that can refuse a write. */
const REFUSING = new Set(['owner', 'status', 'refuse', 'always']);

/** A channel's executable write(): a new refusal breaks writes that worked; any other change is reviewed. */
function compareChannelWrite(ctx: PairContext, name: string, b: SnapshotChannelWrite | undefined, h: SnapshotChannelWrite | undefined, at: { baseAt: string; headAt: string }): void {
  // As with paths: a version the model has no executable write() for is not compared.
  if (!b || !h) return;
  const item = `channel ${name} write`;
  const changed = (what: string, sub = ''): void => ctx.add({ rule: 'channel-write-changed', item: `${item}${sub}`, ...at, message: `channel ${name}: ${what}` });
  const body = ({ at: _at, ...rest }: SnapshotChannelCheck): string => JSON.stringify(rest);
  const bc = new Map(b.checks.map((c) => [c.id, c]));
  const hc = new Map(h.checks.map((c) => [c.id, c]));
  for (const [id, c] of hc) {
    if (bc.has(id)) continue;
    if (REFUSING.has(c.kind)) ctx.add({ rule: 'channel-write-check-added', item: `${item} ${id}`, ...at, message: `channel ${name}: write() now passes check ${id}, which can refuse it${c.error ? ` (${c.error})` : ''}` });
    else changed(`write() now passes ${c.effect ? `effect ${c.effect}` : `check ${id}`}`, ` ${id}`);
  }
  for (const [id, c] of bc) {
    const n = hc.get(id);
    if (!n) changed(`check ${id} of write() is gone`, ` ${id}`);
    else if (body(c) !== body(n)) changed(`check ${id} of write() tests something else`, ` ${id}`);
  }
  const order = (w: SnapshotChannelWrite): string => w.checks.map((c) => c.id).filter((id) => bc.has(id) && hc.has(id)).join(' ');
  if (order(b) !== order(h)) changed('the checks of write() run in another order');
  if (b.returns !== h.returns || b.surfacesAs !== h.surfacesAs || JSON.stringify(b.let) !== JSON.stringify(h.let)) changed('what write() returns, its handler errno or its names changed');
}
