// Version projection: the model at V holds exactly the items with since <= V < until,
// at every level (items, struct members, set values), and the model cannot be changed.
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/model/index.ts';
import { runSpec, viewAt } from '../support/spec.ts';
import { compareVersions, isLive, overlaps } from '../../src/model/version.ts';

const project = { path: 'project.yaml', text: 'project: v\nversions: [5.10, 6.1, 6.9, 6.10, 6.12, 7.2]\n' };
const family = `family: v
doc: V.
items:
  - { define: V_ALWAYS, value: 1 }
  - { define: V_NEW, value: 2, since: 6.10 }
  - { define: V_OLD, value: 3, until: 6.10 }
  - { define: V_WINDOW, value: 4, since: 6.1, until: 6.12 }
  - { define: V_RENAMED, value: 5, until: 6.12 }
  - { define: V_RENAMED, value: 6, since: 6.12 }
  - struct: v_args
    members:
      - { field: a, type: __u32 }
      - { field: reserved, type: __u32, until: 6.1 }
      - { field: asid, type: __u32, since: 6.1 }
      - { field: tail, type: __u64, since: 7.2 }
  - features: v-features
    values:
      - { name: V_F_A, bit: 0 }
      - { name: V_F_B, bit: 65, since: 7.2 }
`;
const p = runSpec([project, { path: 'v.yaml', text: family }]);

describe('version projection', () => {
  it('has no errors, though V_RENAMED is defined twice with disjoint lifetimes', () => {
    expect(p.diagnostics).toEqual([]);
  });

  it('keeps exactly the live items at each version', () => {
    const at = (v: string): string[] => [...viewAt(p, v).constants.keys()].sort();
    expect(at('5.10')).toEqual(['V_ALWAYS', 'V_F_A', 'V_OLD', 'V_RENAMED']);
    expect(at('6.1')).toEqual(['V_ALWAYS', 'V_F_A', 'V_OLD', 'V_RENAMED', 'V_WINDOW']);
    expect(at('6.9')).toEqual(['V_ALWAYS', 'V_F_A', 'V_OLD', 'V_RENAMED', 'V_WINDOW']);
    expect(at('6.10')).toEqual(['V_ALWAYS', 'V_F_A', 'V_NEW', 'V_RENAMED', 'V_WINDOW']);
    expect(at('6.12')).toEqual(['V_ALWAYS', 'V_F_A', 'V_NEW', 'V_RENAMED']);
    expect(at('7.2')).toEqual(['V_ALWAYS', 'V_F_A', 'V_F_B', 'V_NEW', 'V_RENAMED']);
    expect(viewAt(p, '6.1').value('V_RENAMED')).toBe(5n);
    expect(viewAt(p, '6.12').value('V_RENAMED')).toBe(6n);
    expect(viewAt(p, '7.2').value('V_F_B')).toBe(65n);
  });

  it('projects struct members, so layouts follow the version', () => {
    const fields = (v: string): string[] => {
      const vm = viewAt(p, v);
      const item = vm.types.get('struct v_args')?.item;
      return (item?.members ?? []).map((m) => ('name' in m ? String(m.name) : ''));
    };
    expect(fields('5.10')).toEqual(['a', 'reserved']);
    expect(fields('6.12')).toEqual(['a', 'asid']);
    expect(fields('7.2')).toEqual(['a', 'asid', 'tail']);
  });

  it('rejects overlapping lifetimes of one name', () => {
    const bad = family.replace('{ define: V_RENAMED, value: 6, since: 6.12 }', '{ define: V_RENAMED, value: 6, since: 6.9 }');
    const d = runSpec([project, { path: 'v.yaml', text: bad }]).diagnostics;
    expect(d.map((x) => [x.rule, x.line, x.message.replace(/.*\(at /, '(at ')])).toEqual([['spec-duplicate-name', 9, '(at 6.9, 6.10)']]);
  });

  it('compares versions numerically and lifetimes as half-open ranges', () => {
    expect(compareVersions('6.9', '6.10')).toBeLessThan(0);
    expect(compareVersions('6.12', '7.2')).toBeLessThan(0);
    expect(isLive({ since: '6.1', until: '6.12' }, '6.12')).toBe(false);
    expect(isLive({ since: '6.1', until: '6.12' }, '6.1')).toBe(true);
    expect(overlaps({ until: '6.1' }, { since: '6.1' })).toBe(false);
    expect(overlaps({ until: '6.2' }, { since: '6.1' })).toBe(true);
  });

  it('is immutable', () => {
    const model = (p.spec as Spec).model;
    const fam = model.families[0];
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(fam?.items)).toBe(true);
    expect(() => {
      (fam as unknown as { doc: string }).doc = 'changed';
    }).toThrow(TypeError);
  });
});
