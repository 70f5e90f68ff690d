// generated/kernel/<profile>.c: one static function per request that runs the model's checks
// in order and then calls the handler directly, and one switch on the full request number.
import { comment } from '../../src/emit/c/index.ts';
import { handlerParams, checkList } from './handler.ts';
import { prototype } from './header.ts';
import { funcDoc } from './kdoc.ts';
import { profileNames, type ProfileNames } from './names.ts';
import type { ProfilePlan, RequestPlan, Step, Use } from './plan.ts';
import { wrap } from './wrap.ts';

const T = '\t';

function stepComment(s: Step): string[] {
  const what = s.check.doc ? `${s.check.id}: ${s.check.doc}` : s.kind === 'noop' ? `${s.check.id}: ${s.why}` : s.check.id;
  return comment(what, T);
}

/** `if (cond)` and its one-statement body, the condition wrapped. */
function ifLines(cond: string, body: readonly string[]): string[] {
  return [...wrap(T, `if (${cond})`), ...body.map((l) => `${T}${T}${l}`)];
}

function body(n: ProfileNames, r: RequestPlan, statusType: string): string[] {
  const a = r.arg;
  const decls: string[] = [];
  if (r.uses.has('facts')) decls.push(`const struct ${n.facts} *facts;`);
  if (a?.tail && r.handler) decls.push(`${a.type} __user *uarg = argp;`);
  if (r.eventfd) decls.push('struct eventfd_ctx *ctx = NULL;');
  if (a && (r.handler || r.steps.some((s) => s.kind === 'copy-in'))) decls.push(a.scalar ? `${a.type} arg = 0;` : `${a.type} arg;`);
  if (r.uses.has('status')) decls.push(`${statusType} status;`);
  // argsz: what the caller passed, fixed before the handler may raise arg.argsz (VFIO does).
  const outLen = Boolean(a?.argsz && a.copyOut && r.handler);
  if (outLen) decls.push('size_t len;');
  if (r.uses.has('owner')) decls.push('bool owner;');
  const post = Boolean(a?.copyOut) || r.eventfd;
  if (r.handler && post) decls.push('long ret;');

  const code: string[] = [];
  const ready = new Set<Use>();
  const need = (uses: ReadonlySet<Use>): void => {
    if (uses.has('owner') && !ready.has('owner')) code.push(`${T}owner = ${n.isOwner}(dev);`);
    if (uses.has('status') && !ready.has('status')) code.push(`${T}status = ${n.readStatus}(dev);`);
    if (uses.has('facts') && !ready.has('facts')) code.push(`${T}facts = ${n.readFacts}(dev);`);
    for (const u of uses) ready.add(u);
  };
  let zeroed = false;
  let mask: string | undefined;
  for (const s of r.steps) {
    code.push(...stepComment(s));
    switch (s.kind) {
      case 'owner':
        code.push(...ifLines(`${s.required ? '!' : ''}${n.isOwner}(dev)`, [`return -${s.error};`]));
        break;
      case 'refuse':
        need(s.uses);
        code.push(...ifLines(s.cond, [`return -${s.error};`]));
        if (s.clamp) code.push(`${T}${s.clamp.index} = array_index_nospec(${s.clamp.index}, ${s.clamp.bound});`);
        break;
      case 'accept':
        need(s.uses);
        code.push(...ifLines(s.cond, ['return 0;']));
        break;
      case 'copy-in':
        // Zeroed first: what copy_from_user does not fill is never stale stack.
        if (a && !a.scalar) code.push(`${T}memset(&arg, 0, sizeof(arg));`);
        zeroed = true;
        code.push(...ifLines(`copy_from_user(&arg, argp, ${s.minsz ?? 'sizeof(arg)'})`, ['return -EFAULT;']));
        if (outLen && a?.argsz) code.push(`${T}len = min_t(u32, arg.${a.argsz.field}, sizeof(arg));`);
        break;
      case 'eventfd': {
        need(s.uses);
        // eventfd_ctx_fdget answers -EBADF for a number that is no open fd and -EINVAL for
        // another kind of file: the model's error and kind error, in that order.
        const fail = s.kindError ? `PTR_ERR(ctx) == -EBADF ? -${s.error} : -${s.kindError}` : `-${s.error}`;
        const lookup = [`ctx = eventfd_ctx_fdget(${s.fd});`, 'if (IS_ERR(ctx))', `${T}return ${fail};`];
        if (s.unbind === undefined) code.push(...lookup.map((l) => `${T}${l}`));
        else code.push(`${T}if (${s.fd} != ${s.unbind}) {`, ...lookup.map((l) => `${T}${T}${l}`), `${T}}`);
        break;
      }
      case 'always':
        code.push(`${T}return -${s.error};`);
        break;
      case 'mask-answer':
        // Applied below, to the handler's answer before it is copied out.
        mask = s.mask;
        break;
      case 'noop':
        break;
    }
  }
  if (r.handler) {
    if (a && !a.scalar && !zeroed) code.push(`${T}memset(&arg, 0, sizeof(arg));`);
    const call = `${n.handler(r)}(${handlerParams(n, r).map((x) => x.call).join(', ')})`;
    if (!post) code.push(...wrap(T, `return ${call};`));
    else {
      code.push(...wrap(T, `ret = ${call};`));
      if (r.eventfd) {
        code.push(...ifLines('ret < 0 && ctx', ['eventfd_ctx_put(ctx);']));
        if (a?.copyOut) code.push(`${T}if (ret < 0)`, `${T}${T}return ret;`);
      } else code.push(`${T}if (ret < 0)`, `${T}${T}return ret;`);
      if (mask) code.push(...wrap(T, `arg &= ${mask};`));
      if (a?.copyOut) code.push(...ifLines(`copy_to_user(argp, &arg, ${outLen ? 'len' : 'sizeof(arg)'})`, ['return -EFAULT;']));
      code.push(`${T}return ret;`);
    }
  }
  return [...decls.map((d) => `${T}${d}`), ...(decls.length ? [''] : []), ...code];
}

function requestFunction(p: ProfilePlan, n: ProfileNames, r: RequestPlan): string[] {
  const params = [`struct ${n.dev} *dev`, ...(r.arg ? ['void __user *argp'] : [])];
  const doc = funcDoc({
    name: n.check(r),
    brief: `Check and dispatch ${r.request}.`,
    params: [['dev', 'The device.'], ...(r.arg ? [['argp', "The caller's argument (user memory)."] as const] : [])],
    description: [
      r.steps.length
        ? `The checks, in the spec's order: ${checkList(r)}. The first that refuses decides, and nothing has changed by then.`
        : 'No check can refuse it: the handler runs at once.',
    ],
    returns: r.handler ? `what ${n.handler(r)}() returns, or the negative errno of the check that refused.` : 'the negative errno of the check that refused.',
  });
  return [...doc, ...prototype('static long', n.check(r), params, ''), '{', ...body(n, r, p.statusType), '}'];
}

export function renderSource(p: ProfilePlan, header: string): string {
  const n = profileNames(p);
  const anyCompat = p.requests.some((r) => r.compat);
  const allCompat = p.requests.every((r) => r.compat);
  const kernel = [
    ...(anyCompat ? ['compat'] : []),
    'err',
    'errno',
    ...(p.requests.some((r) => r.eventfd) ? ['eventfd'] : []),
    ...(p.requests.some((r) => r.arg?.argsz) ? ['minmax'] : []),
    ...(p.requests.some((r) => r.steps.some((s) => s.kind === 'refuse' && s.clamp)) ? ['nospec'] : []),
    ...(p.requests.some((r) => r.arg?.argsz) ? ['stddef'] : []),
    'string',
    'uaccess',
  ].map((h) => `#include <linux/${h}.h>`);
  const out: string[] = [...kernel, ...p.codeHeaders.map((h) => `#include <${h}>`), '', `#include "${header}"`];
  for (const r of p.requests) out.push('', ...requestFunction(p, n, r));
  out.push(
    '',
    ...funcDoc({
      name: n.ioctl,
      brief: `Dispatch one ioctl of a ${p.profile} device.`,
      params: [['dev', 'The device.'], ['cmd', 'The full request number.'], ['argp', "The caller's argument (user memory)."]],
      description: [
        'One switch on the full request number: a request outside the profile, or a number of one of its requests with another size or direction, is -ENOIOCTLCMD, which the VFS answers with ENOTTY.',
      ],
      context: 'Process context; the caller serialises calls on one device.',
      returns: "the handler's result, or the negative errno of the check that refused.",
    }),
    ...prototype('long', n.ioctl, [`struct ${n.dev} *dev`, 'unsigned int cmd', 'void __user *argp'], ''),
    '{',
    `${T}switch (cmd) {`,
  );
  for (const r of p.requests) out.push(`${T}case ${r.macro}:`, `${T}${T}return ${n.check(r)}(dev${r.arg ? ', argp' : ''});`);
  out.push(`${T}default:`, `${T}${T}return -ENOIOCTLCMD;`, `${T}}`, '}');
  if (anyCompat) {
    const compatBody = allCompat
      ? [`${T}return ${n.ioctl}(dev, cmd, compat_ptr(arg));`]
      : [
          `${T}switch (cmd) {`,
          ...p.requests.filter((r) => r.compat).map((r) => `${T}case ${r.macro}:`),
          `${T}${T}return ${n.ioctl}(dev, cmd, compat_ptr(arg));`,
          `${T}default:`,
          `${T}${T}return -ENOIOCTLCMD;`,
          `${T}}`,
        ];
    out.push(
      '',
      '#ifdef CONFIG_COMPAT',
      ...funcDoc({
        name: n.compatIoctl,
        brief: 'Dispatch one ioctl of a 32-bit caller.',
        params: [['dev', 'The device.'], ['cmd', 'The full request number.'], ['arg', "The caller's argument, a 32-bit user pointer."]],
        description: [
          allCompat
            ? 'Every request of the profile has the same number and argument layout on i386 as on x86_64, so the pointer is all that needs converting.'
            : 'Only the requests whose number and argument layout are the same on i386 as on x86_64 are served; any other is -ENOIOCTLCMD.',
        ],
        context: 'Process context; the caller serialises calls on one device.',
        returns: `what ${n.ioctl}() returns.`,
      }),
      ...prototype('long', n.compatIoctl, [`struct ${n.dev} *dev`, 'unsigned int cmd', 'unsigned long arg'], ''),
      '{',
      ...compatBody,
      '}',
      '#endif',
    );
  }
  out.push('');
  return out.join('\n');
}
