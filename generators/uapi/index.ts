// generators/uapi: one UAPI header per family that names one (spec `header:`), at one version.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { comment, guarded, includeGuard } from '../../src/emit/c/index.ts';
import type { Emitter } from '../../src/emit/index.ts';
import { itemBlock, type Block } from './render.ts';

const template = Handlebars.compile(readFileSync(new URL('./header.hbs', import.meta.url), 'utf8'), { noEscape: true, strict: true });

export const uapiEmitter: Emitter = {
  name: 'uapi',
  owns: 'uapi',
  emit(view) {
    return view.families
      .filter((f) => f.header && !f.wire) // a wire family (vhost-user) is a socket protocol, never a kernel header
      .map((f) => {
        const header = f.header as string;
        // Items that share a guard and sit next to each other print inside one #if block.
        const blocks = groupBlocks(joinIncludes(f.items.map((i) => itemBlock(view, i))));
        return {
          path: `uapi/${header}`,
          syntax: 'c' as const,
          // The UAPI default; headers under other terms (vduse.h, the BSD virtio headers) say so in the spec.
          license: f.license ?? 'GPL-2.0 WITH Linux-syscall-note',
          sources: [f.file],
          mode: `uapi, kernel ${view.version}`,
          body: template({ guard: f.guard ?? includeGuard(header), doc: comment(f.doc).join('\n'), blocks }),
        };
      });
  },
};

/** Consecutive #include lines print as one block, as headers write them. */
function joinIncludes(blocks: Block[]): Block[] {
  const isInclude = (b: Block): boolean => !b.guard && b.lines.every((l) => l.startsWith('#include'));
  const out: Block[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && isInclude(last) && isInclude(b)) out[out.length - 1] = { lines: [...last.lines, ...b.lines] };
    else out.push(b);
  }
  return out;
}

function groupBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  let run: Block[] = [];
  const flush = (): void => {
    if (run.length) out.push(guarded(run.map((b, i) => ({ ...(b.guard ? { guard: b.guard } : {}), lines: i === 0 ? b.lines : ['', ...b.lines] }))).join('\n'));
    run = [];
  };
  for (const b of blocks) {
    if (!b.guard) {
      flush();
      out.push(b.lines.join('\n'));
    } else {
      if (run.length && (run[0]?.guard?.expr !== b.guard.expr || run[0]?.guard?.directive !== b.guard.directive)) flush();
      run.push(b);
    }
  }
  flush();
  return out;
}
