// generated/kernel/<profile>.h: the driver interface of one profile's dispatch. The driver
// defines the opaque device struct, implements the three hooks and one handler per request,
// and calls <profile>_ioctl(); a missing handler is a link error.
import { comment, displayWidth, includeGuard } from '../../src/emit/c/index.ts';
import { handlerParams, checkList } from './handler.ts';
import { funcDoc, structDoc } from './kdoc.ts';
import { profileNames } from './names.ts';
import type { OwnAbi } from './own.ts';
import type { ProfilePlan } from './plan.ts';
import { WIDTH, wrap } from './wrap.ts';

/** A declaration within 80 columns: wrapped after commas, or with the return type on its own line. */
export function prototype(ret: string, name: string, params: readonly string[], end = ';'): string[] {
  const head = ret.endsWith('*') ? `${ret}${name}` : `${ret} ${name}`;
  const lines = wrap('', `${head}(${params.join(', ')})${end}`);
  if (lines.every((l) => displayWidth(l) <= WIDTH)) return lines;
  return [ret.trimEnd(), ...wrap('', `${name}(${params.join(', ')})${end}`)];
}

/** `#define NAME VALUE`, the value on a continuation line when the whole does not fit. */
function define(name: string, value: string): string[] {
  const line = `#define ${name} ${value}`;
  return displayWidth(line) <= WIDTH ? [line] : [`#define ${name} \\`, `\t${value}`];
}

/** The numbers, structs and constants of an ABI no kernel header has, under the profile's names. */
function ownLines(profile: string, own: OwnAbi): string[] {
  const out: string[] = [
    ...comment(`The ABI of ${profile} as the spec states it. No kernel header has these numbers, so they are defined here under the profile's own names, and a module may link this dispatch with others.`),
  ];
  for (const c of own.constants) out.push(...define(c.name, c.value));
  for (const t of own.structs) {
    out.push('', ...comment(`${t.from} of the proposal${t.doc ? `: ${t.doc}` : '.'}`), `struct ${t.tag} {`, ...t.fields.map((f) => `\t${f.decl} ${f.name};`), '};');
    if (t.size !== undefined) out.push('', `static_assert(sizeof(struct ${t.tag}) == ${t.size});`);
  }
  out.push('');
  for (const r of own.requests) out.push(...comment(`${r.from}${r.quirk ? `: ${r.quirk}` : ''}`), ...define(r.macro, r.value));
  return [...out, ''];
}

export function renderHeader(p: ProfilePlan, file: string): string {
  const n = profileNames(p);
  const guard = includeGuard(file);
  const kernel = p.own ? ['build_bug', 'ioctl', 'types'] : ['types'];
  const out: string[] = [`#ifndef ${guard}`, `#define ${guard}`, '', ...kernel.map((h) => `#include <linux/${h}.h>`), ...p.typeHeaders.map((h) => `#include <${h}>`), ''];
  if (p.own) out.push(...ownLines(p.profile, p.own));
  out.push('struct eventfd_ctx;', '');
  out.push(
    '/*',
    ` * The device as the driver defines it; the dispatch only passes it to the`,
    ` * hooks and handlers below.`,
    ' */',
    `struct ${n.dev};`,
    '',
  );
  if (p.facts.length) {
    out.push(
      ...structDoc(n.facts, `What the checks of ${p.profile} know of the device.`, p.facts.map((f) => [f.name, f.doc] as const), [
        `The driver fills it once the device is known; ${n.readFacts}() hands it to the dispatch.`,
      ]),
      `struct ${n.facts} {`,
      ...p.facts.map((f) => `\t${f.type} ${f.name};`),
      '};',
      '',
    );
  }
  out.push(
    ...funcDoc({
      name: n.isOwner,
      brief: 'Hook: whether the caller owns the device.',
      params: [['dev', 'The device.']],
      description: ['Must not change any state: the dispatch may call it before a later check refuses.'],
      returns: 'true when the calling process owns @dev (VHOST_SET_OWNER succeeded for it).',
    }),
    ...prototype('bool', n.isOwner, [`struct ${n.dev} *dev`]),
    '',
    ...funcDoc({
      name: n.readStatus,
      brief: 'Hook: the device status byte, as the device reports it.',
      params: [['dev', 'The device.']],
      description: ['Must not change any state: the dispatch may call it before a later check refuses.'],
      returns: 'the current status (the VIRTIO_CONFIG_S_* bits).',
    }),
    ...prototype(p.statusType, n.readStatus, [`struct ${n.dev} *dev`]),
  );
  if (p.facts.length) {
    out.push(
      '',
      ...funcDoc({
        name: n.readFacts,
        brief: 'Hook: the facts the checks read.',
        params: [['dev', 'The device.']],
        description: ['Must not change any state: the dispatch may call it before a later check refuses.'],
        returns: `the device's facts; never NULL.`,
      }),
      ...prototype(`const struct ${n.facts} *`, n.readFacts, [`struct ${n.dev} *dev`]),
    );
  }
  for (const r of p.requests.filter((x) => x.handler)) {
    const params = handlerParams(n, r);
    out.push(
      '',
      ...funcDoc({
        name: n.handler(r),
        brief: `Handler of ${r.request}, called once every check passed.`,
        params: params.map((x) => [x.name, x.doc] as const),
        description: [r.doc, `Checked before, in this order: ${checkList(r)}.`],
        returns: '0 (or a positive value) on success, else a negative errno.',
      }),
      ...prototype('long', n.handler(r), params.map((x) => x.decl)),
    );
  }
  out.push(
    '',
    ...funcDoc({
      name: n.ioctl,
      brief: `Dispatch one ioctl of a ${p.profile} device.`,
      params: [['dev', 'The device.'], ['cmd', 'The full request number.'], ['argp', "The caller's argument (user memory)."]],
      description: [`Checks in the spec's order, then the request's handler. A request outside the profile is -ENOIOCTLCMD.`],
      context: 'Process context; the caller serialises calls on one device.',
      returns: "the handler's result, or the negative errno of the check that refused.",
    }),
    ...prototype('long', n.ioctl, [`struct ${n.dev} *dev`, 'unsigned int cmd', 'void __user *argp']),
  );
  if (p.requests.some((r) => r.compat)) {
    out.push(
      '',
      '#ifdef CONFIG_COMPAT',
      ...funcDoc({
        name: n.compatIoctl,
        brief: `Dispatch one ioctl of a 32-bit caller.`,
        params: [['dev', 'The device.'], ['cmd', 'The full request number.'], ['arg', "The caller's argument, a 32-bit user pointer."]],
        description: ['Serves the requests whose number and argument layout are the same on i386 as on x86_64; any other is -ENOIOCTLCMD.'],
        context: 'Process context; the caller serialises calls on one device.',
        returns: `what ${n.ioctl}() returns.`,
      }),
      ...prototype('long', n.compatIoctl, [`struct ${n.dev} *dev`, 'unsigned int cmd', 'unsigned long arg']),
      '#endif',
    );
  }
  out.push('', `#endif /* ${guard} */`, '');
  return out.join('\n');
}
