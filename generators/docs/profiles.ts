// fd kinds (rules, quirks), request sets, device profiles (request sets, feature filters, the
// state diagram of their status rules) and message channels, at one version each.
import { ABIS, type AbiView, type Channel, type ChannelCheck, type DeviceProfile, type FdKind, type RequestSet } from '../../src/model/index.ts';
import { ruleCondition } from '../../src/explain/words.ts';
import { link, typeLink, type Ctx } from './context.ts';
import { cell, code, table, text } from './markdown.ts';
import { behaviourOf } from './memo.ts';
import { stateDiagram } from './states.ts';

const x86_64 = ABIS[0];

const requestLinks = (ctx: Ctx, list: readonly string[]): string => list.map((r) => link(ctx, `request:${r}`)).join(', ');

export function fdBody(ctx: Ctx, view: AbiView, fd: FdKind): string[] {
  const b = behaviourOf(view, fd.name);
  const facts = table(['', ''], [
    ...(fd.path ? [['device node', code(fd.path)]] : []),
    ['status set', fd.status ? link(ctx, `set:${fd.status}`) : 'none'],
    ['unknown requests get', `**${b?.unknownRequestErrno ?? fd.unknownRequest ?? 'ENOTTY'}**`],
  ]);
  const rules = table(['#', 'requests', 'condition', 'errno', 'doc'], (b?.rules ?? []).map((r, i) => [String(i + 1), requestLinks(ctx, r.requests), cell(ruleCondition(r)), `**${r.error}**`, cell([r.doc, r.source ? `Source: ${r.source}` : ''].filter(Boolean).join(' '))]));
  const quirks = table(['quirk', 'requests', 'errno', 'doc'], (b?.quirks ?? fd.quirks).map((q) => [code(q.name), [q.requests.length ? requestLinks(ctx, q.requests) : '', q.unknownRequests ? 'requests it does not know' : ''].filter(Boolean).join(', ') || 'the fd itself', q.errno.map((e) => `**${e}**`).join(', ') || 'none', cell([q.doc, q.source ? `Source: ${q.source}` : ''].filter(Boolean).join(' '))]));
  return [
    ...(fd.doc ? [text(fd.doc), ''] : []),
    ...facts,
    '',
    ...(rules.length ? ['Status rules (in spec order):', '', ...rules, ''] : ['No status rules.', '']),
    ...(quirks.length ? ['Recorded quirks:', '', ...quirks] : ['No recorded quirks.']),
  ];
}

export function requestSetBody(ctx: Ctx, _view: AbiView, s: RequestSet): string[] {
  return [...(s.doc ? [text(s.doc), ''] : []), `Requests: ${requestLinks(ctx, s.requests)}.`];
}

function featureFilter(ctx: Ctx, view: AbiView, d: DeviceProfile): string[] {
  const f = view.featureFilter(d.name);
  if (!f || f.kind === 'none') return ['Feature filter: none (the device features reach userspace unfiltered).'];
  const what = f.kind === 'allowlist' ? 'an allow-list: GET_FEATURES is masked with these bits, SET_FEATURES outside them is refused' : 'a blacklist: these bits are hidden from GET_FEATURES and refused by SET_FEATURES';
  return [`Feature filter: ${what}.`, '', ...table(['feature', 'bit'], f.bits.map((x) => [link(ctx, `const:${x.name}`), String(x.bit)]))];
}

export function deviceBody(ctx: Ctx, view: AbiView, d: DeviceProfile): string[] {
  const accepted = [...view.accepted(d.name)];
  const id = d.deviceId ? view.value(d.deviceId) : undefined;
  const facts = table(['', ''], [
    ['fd kind', link(ctx, `fd:${d.fd}`)],
    ...(d.deviceId ? [['device id', `${link(ctx, `const:${d.deviceId}`)}${id !== undefined ? ` = ${id}` : ''}`]] : []),
    ['request sets', d.requestSets.map((s) => link(ctx, `request-set:${s}`)).join(', ') || 'none'],
    ...(d.requests.length ? [['own requests', requestLinks(ctx, d.requests)]] : []),
    ['feature sets', d.features.map((s) => link(ctx, `set:${s}`)).join(', ') || 'none'],
    ...(d.unsupportedRequest ? [['unsupported requests get', `**${d.unsupportedRequest}**`]] : []),
    ...(d.maxQueues !== undefined ? [['queues', String(d.maxQueues)]] : []),
    ...(d.source ? [['source', cell(d.source)]] : []),
  ]);
  const own = table(['requests', 'condition', 'errno'], d.rules.map((r) => [requestLinks(ctx, r.requests), cell(ruleCondition(r)), `**${r.error}**`]));
  const diagram = stateDiagram(view, d);
  return [
    ...(d.doc ? [text(d.doc), ''] : []),
    ...facts,
    '',
    `Accepts ${accepted.length} requests: ${requestLinks(ctx, accepted)}.`,
    '',
    ...featureFilter(ctx, view, d),
    '',
    ...(own.length ? ['Status rules of the profile itself (after those of its fd kind):', '', ...own, ''] : []),
    `Status rules as states${diagram.bits.length ? ` (${diagram.bits.map(code).join(', ')}; the diagram starts with none of them set)` : ''}: allowed status changes are edges, refused requests loop back with their errno.`,
    '',
    '```mermaid',
    ...diagram.lines,
    '```',
  ];
}

export function channelBody(ctx: Ctx, view: AbiView, c: Channel): string[] {
  const rows = c.records.map((r) => {
    const l = x86_64 ? view.layout(x86_64, r.type) : undefined;
    return [r.direction, typeLink(ctx, r.type), r.when ? link(ctx, `const:${r.when}`) : 'always', l?.ok ? String(l.layout.size) : '', cell(r.doc)];
  });
  return [...(c.doc ? [text(c.doc), ''] : []), `On: ${c.fds.map((f) => link(ctx, `fd:${f}`)).join(', ')}.`, '', ...table(['direction', 'record', 'when', 'bytes on x86_64', 'doc'], rows), ...writeSteps(ctx, c)];
}

/** A channel's executable write(): the form each leading value selects, then its ordered checks. */
function writeSteps(ctx: Ctx, c: Channel): string[] {
  const w = c.write;
  if (!w) return [];
  const forms = c.records.filter((r) => r.direction === 'write' && r.form).map((r) => `${link(ctx, `const:${r.form}`)} selects ${typeLink(ctx, r.type)}`);
  const handler = w.handler;
  const step = (k: ChannelCheck, inHandler: boolean): string => {
    const what = k.kind === 'effect' ? `${k.effect}${k.when ? ` when ${code(k.when)}` : ''}`
      : k.kind === 'refuse' ? `refused when ${code(k.expr)}`
      : k.kind === 'accept' ? `accepted at once when ${code(k.expr)}`
      : k.kind === 'owner' ? `the caller must ${k.owner === 'required' ? '' : 'not '}own the device`
      : k.kind === 'status' ? `status ${[...k.requires.map((b) => `${b} set`), ...k.forbids.map((b) => `${b} clear`)].join(', ')}`
      : 'always refused';
    const errno = k.kind === 'effect' || k.kind === 'accept' ? '' : inHandler && handler ? ` → **${handler.surfacesAs}** (the handler's ${k.error ?? 'EINVAL'})` : ` → **${k.error ?? 'EINVAL'}**`;
    return `${code(k.id)}: ${what}${errno}${k.doc ? `. ${text(k.doc)}` : ''}`;
  };
  const steps = [...w.checks.map((k) => step(k, false)), ...(handler?.checks ?? []).map((k) => step(k, true)), `all passed → **${code(w.returns)}** bytes`];
  return [
    '',
    `*write()* (executable${w.since ? ` from ${w.since}` : ''}): the leading field picks the form (${forms.join(', ')}); ${w.lets.map((l) => `${code(l.name)} is ${code(l.value)}${l.when ? ` when ${code(l.when)}, else ${code(l.otherwise ?? '0')}` : ''}`).join('; ') || 'no names of its own'}. ${w.doc ? text(w.doc) : ''}`.trimEnd(),
    '',
    ...steps.map((x, i) => `${i + 1}. ${x}`),
  ];
}
