// generators/uapi: one UAPI header per family that names one (spec `header:`), at one version.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Emitter } from '../index.ts';
import { cBanner } from '../common/banner.ts';
import { comment, guarded, itemBlock } from './render.ts';

const template = Handlebars.compile(readFileSync(new URL('./header.hbs', import.meta.url), 'utf8'), { noEscape: true, strict: true });

function guardFor(header: string): string {
  return `_${header.replace(/[^A-Za-z0-9]/g, '_').replace(/_h$/i, '_H').toUpperCase()}`;
}

export const uapiEmitter: Emitter = {
  name: 'uapi',
  owns: 'uapi',
  emit({ model, specDir }) {
    return model.families
      .filter((f) => f.header)
      .map((f) => {
        const header = f.header as string;
        const specFile = `${specDir.replace(/\/$/, '')}/${f.file.split('/').pop()}`;
        // Items that share a guard and sit next to each other print inside one #if block.
        const blocks = groupBlocks(joinIncludes(f.items.map((i) => itemBlock(model, i))));
        const text = template({
          banner: cBanner(specFile, `uapi, kernel ${model.version}`),
          guard: f.guard ?? guardFor(header),
          // The UAPI default; headers under other terms (vduse.h, the BSD virtio headers) say so in the spec.
          license: f.license ?? 'GPL-2.0 WITH Linux-syscall-note',
          doc: comment(f.doc).join('\n'),
          blocks,
        });
        return { path: `uapi/${header}`, content: text };
      });
  },
};

/** Consecutive #include lines print as one block, as headers write them. */
function joinIncludes(blocks: ReturnType<typeof itemBlock>[]): ReturnType<typeof itemBlock>[] {
  const isInclude = (b: ReturnType<typeof itemBlock>): boolean => !b.guard && b.lines.every((l) => l.startsWith('#include'));
  const out: ReturnType<typeof itemBlock>[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && isInclude(last) && isInclude(b)) out[out.length - 1] = { lines: [...last.lines, ...b.lines] };
    else out.push(b);
  }
  return out;
}

function groupBlocks(blocks: ReturnType<typeof itemBlock>[]): string[] {
  const out: string[] = [];
  let run: typeof blocks = [];
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
