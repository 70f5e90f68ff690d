// An out-of-tree module around a generated dispatch, so the kernel's own build (gcc -Werror,
// W=1, sparse with C=2) compiles it against the lab's 6.12 headers. The stub device answers
// every handler with -EOPNOTSUPP: the build only needs each one to exist with its exact type.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handlerParams } from '../../generators/kdispatch/handler.ts';
import { kdispatchEmitter, planProfile, profileNames } from '../../generators/kdispatch/index.ts';
import { renderFile } from '../../src/emit/index.ts';
import type { AbiView } from '../../src/model/index.ts';
import { PROFILE } from './build.ts';

function stub(view: AbiView): string {
  const plan = planProfile(view, PROFILE);
  const n = profileNames(plan);
  const handlers = plan.requests.filter((r) => r.handler).map((r) => [
    `long ${n.handler(r)}(${handlerParams(n, r).map((p) => p.decl).join(', ')})`,
    '{',
    '\treturn -EOPNOTSUPP;',
    '}',
  ].join('\n'));
  return [
    '// SPDX-License-Identifier: GPL-2.0',
    '/* A stub device for the generated dispatch: every handler is -EOPNOTSUPP. */',
    '#include <linux/errno.h>',
    '#include <linux/module.h>',
    `#include "${PROFILE}.h"`,
    '',
    `struct ${n.dev} {`,
    '\tbool owner;',
    `\t${plan.statusType} status;`,
    `\tstruct ${n.facts} facts;`,
    '};',
    '',
    `bool ${n.isOwner}(struct ${n.dev} *dev)`, '{', '\treturn dev->owner;', '}',
    '',
    `${plan.statusType} ${n.readStatus}(struct ${n.dev} *dev)`, '{', '\treturn dev->status;', '}',
    '',
    `const struct ${n.facts} *${n.readFacts}(struct ${n.dev} *dev)`, '{', '\treturn &dev->facts;', '}',
    '',
    ...handlers.flatMap((h) => [h, '']),
    'MODULE_LICENSE("GPL");',
    `MODULE_DESCRIPTION("Generated ${PROFILE} dispatch over a stub device (build check)");`,
    '',
  ].join('\n');
}

/** Writes the module's sources (Kbuild, the generated files, the stub) into `dir`. */
export function moduleDir(view: AbiView, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}` };
  for (const f of kdispatchEmitter.emit(view, options)) writeFileSync(join(dir, f.path.replace(/^kernel\//, '')), renderFile(f, options));
  writeFileSync(join(dir, 'stub.c'), stub(view));
  writeFileSync(join(dir, 'Kbuild'), [
    '# SPDX-License-Identifier: GPL-2.0',
    'obj-m += kdispatch_check.o',
    `kdispatch_check-y := ${PROFILE}.o stub.o`,
    '',
  ].join('\n'));
  return dir;
}
