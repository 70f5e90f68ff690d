// A request's handler as the header declares it and the dispatch calls it: typed parameters,
// each with its kernel-doc and the expression the dispatch passes.
import { declare } from './cnames.ts';
import type { ProfileNames } from './names.ts';
import type { RequestPlan } from './plan.ts';

export interface Param {
  readonly decl: string;
  readonly name: string;
  readonly doc: string;
  /** What the dispatch function passes. */
  readonly call: string;
}

export function handlerParams(n: ProfileNames, r: RequestPlan): Param[] {
  const out: Param[] = [{ decl: `struct ${n.dev} *dev`, name: 'dev', doc: 'The device.', call: 'dev' }];
  const a = r.arg;
  if (a) {
    if (a.scalar && !a.copyOut) out.push({ decl: declare(a.type, 'arg'), name: 'arg', doc: 'The argument, copied from the caller.', call: 'arg' });
    else if (!a.copyOut) out.push({ decl: declare(`const ${a.type} *`, 'arg'), name: 'arg', doc: "The argument's fixed part, copied from the caller.", call: '&arg' });
    else if (a.argsz) out.push({ decl: declare(`${a.type} *`, 'arg'), name: 'arg', doc: `Zeroed, then its mandatory part copied from the caller; min(${a.argsz.field} as passed, its size) bytes are copied back when the handler succeeds (EFAULT if that copy faults: the handler has run).`, call: '&arg' });
    else if (a.copyIn) out.push({ decl: declare(`${a.type} *`, 'arg'), name: 'arg', doc: 'The argument, copied from the caller; copied back when the handler succeeds (EFAULT if that copy faults: the handler has run).', call: '&arg' });
    else out.push({ decl: declare(`${a.type} *`, 'arg'), name: 'arg', doc: 'Zeroed; copied to the caller when the handler succeeds (EFAULT if that copy faults: the handler has run, so it must not change state).', call: '&arg' });
    if (a.tail) {
      const t = a.tail;
      out.push({
        decl: declare(`${t.writable ? '' : 'const '}${t.element} __user *`, t.field),
        name: t.field,
        doc: t.writable
          ? `The caller's ${t.field}[] after the fixed part (user memory): the handler copies its answer there.`
          : `The caller's ${t.field}[] after the fixed part (user memory): the handler copies it in.`,
        call: `uarg->${t.field}`,
      });
    }
  }
  if (r.eventfd) {
    out.push({
      decl: 'struct eventfd_ctx *ctx',
      name: 'ctx',
      doc: 'The eventfd, or NULL to unbind. On success the handler owns this reference; on failure the dispatch puts it.',
      call: 'ctx',
    });
  }
  return out;
}

/** `check (ERRNO)` for each step that can refuse, for docs. */
export function checkList(r: RequestPlan): string {
  const items = r.steps.map((s) => {
    switch (s.kind) {
      case 'copy-in': return `${s.check.id} (EFAULT${s.minsz ? ', the mandatory part' : ''})`;
      case 'accept': return `${s.check.id} (0 at once)`;
      case 'mask-answer': return `${s.check.id} (masks the answer)`;
      case 'noop':
        if (s.check.kind === 'write') return `${s.check.id} (EFAULT, after the handler)`;
        return s.check.kind === 'feature-filter' ? `${s.check.id} (no filter in this profile)` : `${s.check.id} (done above)`;
      case 'eventfd': return `${s.check.id} (${s.error}${s.kindError ? `, ${s.kindError} for a file that is no eventfd` : ''})`;
      default: return `${s.check.id} (${s.error})`;
    }
  });
  return items.length ? items.join(', ') : 'none';
}
