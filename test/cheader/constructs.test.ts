// The constructs UAPI headers use, one at a time, and malformed input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeader, tokenize, type HeaderItem, type Member } from '../../src/cheader/index.ts';

function one(src: string): HeaderItem {
  const r = parseHeader(src);
  expect(r.diagnostics).toEqual([]);
  expect(r.items).toHaveLength(1);
  return r.items[0] as HeaderItem;
}

function members(src: string): Member[] {
  const it = one(src);
  if (it.kind !== 'struct' && it.kind !== 'union') throw new Error(`not an aggregate: ${it.kind}`);
  return it.members;
}

describe('fields', () => {
  it('splits several declarators sharing one type', () => {
    expect(members('struct s { __u32 a, b[4], *c; };')).toEqual([
      { kind: 'field', type: '__u32', name: 'a', dims: [], attributes: [], line: 1 },
      { kind: 'field', type: '__u32', name: 'b', dims: ['4'], attributes: [], line: 1 },
      { kind: 'field', type: '__u32 *', name: 'c', dims: [], attributes: [], line: 1 },
    ]);
  });

  it('normalizes multi-word types, pointers and dimensions', () => {
    const ms = members(`struct s {
      unsigned   int x;
      struct vhost_iotlb_msg  msgs [ N * 2 ][3];
      char **argv;
      const char * const name;
      __u8 padding[64];
      __u8 flex[];
      __u8 zero[0];
      char wwpn[TRANSPORT_IQN_LEN];
    };`);
    expect(ms.map((m) => (m.kind === 'field' ? [m.type, m.name, m.dims, m.line] : m.kind))).toEqual([
      ['unsigned int', 'x', [], 2],
      ['struct vhost_iotlb_msg', 'msgs', ['N * 2', '3'], 3],
      ['char **', 'argv', [], 4],
      ['const char * const', 'name', [], 5],
      ['__u8', 'padding', ['64'], 6],
      ['__u8', 'flex', [''], 7],
      ['__u8', 'zero', ['0'], 8],
      ['char', 'wwpn', ['TRANSPORT_IQN_LEN'], 9],
    ]);
  });

  it('keeps bit-fields, including unnamed ones', () => {
    expect(members('struct s { __u8 a:3, b : 4 + 1; unsigned int :0; };')).toEqual([
      { kind: 'field', type: '__u8', name: 'a', dims: [], bits: '3', attributes: [], line: 1 },
      { kind: 'field', type: '__u8', name: 'b', dims: [], bits: '4 + 1', attributes: [], line: 1 },
      { kind: 'field', type: 'unsigned int', name: '', dims: [], bits: '0', attributes: [], line: 1 },
    ]);
  });

  it('collects field attributes with normalized spacing', () => {
    const ms = members(`struct s {
      __u64 a __attribute__ ( ( aligned ( 8 ) ) );
      __attribute__((aligned(4))) __u32 b;
      __u64 features[] __counted_by( count );
    };`);
    expect(ms.map((m) => (m.kind === 'field' ? [m.name, m.attributes] : m.kind))).toEqual([
      ['a', ['__attribute__((aligned(8)))']],
      ['b', ['__attribute__((aligned(4)))']],
      ['features', ['__counted_by(count)']],
    ]);
  });

  it('keeps __DECLARE_FLEX_ARRAY as a flexible-array field marked with the macro', () => {
    expect(members('struct s { __u32 n; union { __DECLARE_FLEX_ARRAY(struct foo_entry, entries); __DECLARE_FLEX_ARRAY(__u8, raw); }; };')[1])
      .toEqual({
        kind: 'union', dims: [], attributes: [], line: 1, members: [
          { kind: 'field', type: 'struct foo_entry', name: 'entries', dims: [''], attributes: ['__DECLARE_FLEX_ARRAY'], line: 1 },
          { kind: 'field', type: '__u8', name: 'raw', dims: [''], attributes: ['__DECLARE_FLEX_ARRAY'], line: 1 },
        ],
      });
  });

  it('keeps a function-pointer field', () => {
    expect(members('struct ops { int (*probe)(struct dev *d, int n); };')).toEqual([
      { kind: 'field', type: 'int (*)(struct dev * d , int n)', name: 'probe', dims: [], attributes: [], line: 1 },
    ]);
  });
});

describe('aggregates', () => {
  it('reads attributes before the tag and after the closing brace', () => {
    const a = one('struct __attribute__((packed)) x { __u8 a; } __attribute__ ((aligned(4)));');
    expect(a).toMatchObject({ kind: 'struct', name: 'x', attributes: ['__attribute__((packed))', '__attribute__((aligned(4)))'] });
    expect(one('struct x __attribute__((packed)) { __u8 a; };')).toMatchObject({ kind: 'struct', name: 'x', attributes: ['__attribute__((packed))'] });
  });

  it('nests anonymous and named aggregates, tagged or not', () => {
    const ms = members(`struct hdr {
      __u8 flags;
      union {
        struct { __virtio16 csum_start; __virtio16 csum_offset; };
        struct { __virtio16 start; } csum;
        struct inner { __le16 a; } in[2];
      };
    };`);
    expect(ms).toEqual([
      { kind: 'field', type: '__u8', name: 'flags', dims: [], attributes: [], line: 2 },
      {
        kind: 'union', dims: [], attributes: [], line: 3, members: [
          { kind: 'struct', dims: [], attributes: [], line: 4, members: [
            { kind: 'field', type: '__virtio16', name: 'csum_start', dims: [], attributes: [], line: 4 },
            { kind: 'field', type: '__virtio16', name: 'csum_offset', dims: [], attributes: [], line: 4 },
          ] },
          { kind: 'struct', name: 'csum', dims: [], attributes: [], line: 5, members: [
            { kind: 'field', type: '__virtio16', name: 'start', dims: [], attributes: [], line: 5 },
          ] },
          { kind: 'struct', tag: 'inner', name: 'in', dims: ['2'], attributes: [], line: 6, members: [
            { kind: 'field', type: '__le16', name: 'a', dims: [], attributes: [], line: 6 },
          ] },
        ],
      },
    ]);
  });

  it('keeps #defines inside a struct body in position, and other directives as raw members', () => {
    const ms = members(`struct m {
      __u64 iova;
#define ACC_RO 0x1
#define ACC_MASK(x) ((x) & \\
                     0x3)
      __u8 perm;
#ifdef __KERNEL__
      void *priv;
#endif
    };`);
    expect(ms.map((m) => [m.kind, 'name' in m ? m.name : 'text' in m ? m.text : '', m.line])).toEqual([
      ['field', 'iova', 2], ['define', 'ACC_RO', 3], ['define', 'ACC_MASK', 4], ['field', 'perm', 6],
      ['comment-free-other', '#ifdef __KERNEL__', 7], ['field', 'priv', 8], ['comment-free-other', '#endif', 9],
    ]);
    expect(ms[2]).toMatchObject({ params: ['x'], body: '( ( x ) & 0x3 )' });
  });

  it('interleaves #defines placed inside a declarator list (linux/fd.h)', () => {
    const ms = members('struct f {\n\tunsigned char gap,\n\t\trate,\n#define FD_2M 0x4\n\t\tspec1, fmt_gap;\n};');
    expect(ms.map((m) => [m.kind, 'name' in m ? m.name : '', m.line])).toEqual([
      ['field', 'gap', 2], ['field', 'rate', 3], ['define', 'FD_2M', 4], ['field', 'spec1', 5], ['field', 'fmt_gap', 5],
    ]);
  });

  it('accepts macro-generated members without a semicolon (linux/sonet.h)', () => {
    const r = parseHeader('struct s {\n\t__SONET_ITEMS\n#undef __HANDLE_ITEM\n};\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.items[0]).toMatchObject({ kind: 'struct', name: 's', members: [
      { kind: 'comment-free-other', text: '__SONET_ITEMS', line: 2 },
      { kind: 'comment-free-other', text: '#undef __HANDLE_ITEM', line: 3 },
    ] });
  });

  it('repeats #defines from typedef and enum bodies as items after the declaration', () => {
    const r = parseHeader('typedef enum e {\n\tA,\n#define A A\n} e_t;\nenum f {\n\tB,\n#define B B\n};\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => [i.kind, 'name' in i ? i.name : '', i.line, 'inRawText' in i])).toEqual([
      ['typedef', 'e_t', 1, false], ['define', 'A', 3, true], ['enum', 'f', 5, false], ['define', 'B', 7, false],
    ]);
    expect(r.items[0]).toMatchObject({ text: 'typedef enum e { A ,\n#define A A\n} e_t ;' });
  });

  it('parses enums with values, implicit values and a trailing comma', () => {
    expect(one('enum mode {\n  A,\n  B = 1 << 2,\n  C = (B | A),\n};')).toEqual({
      kind: 'enum', name: 'mode', line: 1, conds: [], enumerators: [
        { name: 'A', line: 2 }, { name: 'B', value: '1 << 2', line: 3 }, { name: 'C', value: '( B | A )', line: 4 },
      ],
    });
    expect(one('enum { X };')).toEqual({ kind: 'enum', line: 1, conds: [], enumerators: [{ name: 'X', line: 1 }] });
  });

  it('classifies typedefs, static inline functions, forward declarations and the unknown', () => {
    const r = parseHeader(`typedef struct vring_desc __attribute__((aligned(16))) vring_desc_t;
typedef void (*handler_t)(int);
typedef __u64 __aligned_u64_t __attribute__((aligned(8)));
static __inline__ int need(__u16 a) { if (a) { return 1; } return 0; }
struct fwd;
extern int counter;
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.items.map((i) => [i.kind, 'name' in i ? i.name : i.kind === 'other' ? i.text : '', i.line])).toEqual([
      ['typedef', 'vring_desc_t', 1], ['typedef', 'handler_t', 2], ['typedef', '__aligned_u64_t', 3],
      ['function', 'need', 4], ['other', 'struct fwd ;', 5], ['other', 'extern int counter ;', 6],
    ]);
  });
});

describe('preprocessor', () => {
  it('detects the include guard and leaves it out of the conditions', () => {
    const r = parseHeader('/* c */\n#ifndef _X_H\n#define _X_H\n#ifdef __KERNEL__\n#define K 1\n#endif\n#define U 2\n#endif /* _X_H */\n');
    expect(r.guard).toBe('_X_H');
    expect(r.items.map((i) => [i.kind, 'name' in i ? i.name : '', i.conds])).toEqual([
      ['define', '_X_H', []],
      ['define', 'K', [{ directive: 'ifdef', expr: '__KERNEL__' }]],
      ['define', 'U', []],
    ]);
  });

  it('reports no guard when the outer #ifndef does not span the file', () => {
    expect(parseHeader('#ifndef A\n#define A\n#endif\n#define B 1\n').guard).toBeUndefined();
    expect(parseHeader('#ifndef A\n#define B\n#endif\n').guard).toBeUndefined();
  });

  it('tracks nested #if/#elif/#else conditions with the branches they exclude', () => {
    const r = parseHeader(`#if defined(__KERNEL__) && X > 1
#define A 1
#elif defined ( Y )
# ifdef Z
#  define B 2
# endif
#else
#define C 3
#endif
#define D 4
`);
    expect(r.diagnostics).toEqual([]);
    const ifCond = { directive: 'if', expr: 'defined ( __KERNEL__ ) && X > 1' };
    const elifCond = { directive: 'elif', expr: 'defined ( Y )', prior: [ifCond] };
    expect(r.items.map((i) => [i.kind === 'define' ? i.name : i.kind, i.conds])).toEqual([
      ['A', [ifCond]],
      ['B', [elifCond, { directive: 'ifdef', expr: 'Z' }]],
      ['C', [{ directive: 'else', expr: '', prior: [ifCond, { directive: 'elif', expr: 'defined ( Y )' }] }]],
      ['D', []],
    ]);
  });

  it('reads defines: object-like, function-like, continuations, comments in bodies', () => {
    const r = parseHeader(`#define EMPTY
#define OBJ (1 << 3) /* comment */
#define FN(a, b) ((a) + \\
  (b)) // trailing
#define NOTFN (x) /* space before ( makes it object-like */
#define VA(fmt, ...) f(fmt, __VA_ARGS__)
#define LONGCOMMENT 7 /* spans
lines */
#undef OBJ
#include <linux/types.h>
#include "local.h"
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.items).toEqual([
      { kind: 'define', name: 'EMPTY', body: '', line: 1, conds: [] },
      { kind: 'define', name: 'OBJ', body: '( 1 << 3 )', line: 2, conds: [] },
      { kind: 'define', name: 'FN', params: ['a', 'b'], body: '( ( a ) + ( b ) )', line: 3, conds: [] },
      { kind: 'define', name: 'NOTFN', body: '( x )', line: 5, conds: [] },
      { kind: 'define', name: 'VA', params: ['fmt', '...'], body: 'f ( fmt , __VA_ARGS__ )', line: 6, conds: [] },
      { kind: 'define', name: 'LONGCOMMENT', body: '7', line: 7, conds: [] },
      { kind: 'undef', name: 'OBJ', line: 9, conds: [] },
      { kind: 'include', path: 'linux/types.h', system: true, line: 10, conds: [] },
      { kind: 'include', path: 'local.h', system: false, line: 11, conds: [] },
    ]);
  });

  it('keeps C++ linkage blocks as raw items around normally parsed contents', () => {
    const r = parseHeader('#ifdef __cplusplus\nextern "C" {\n#endif\nstruct s { int a; };\n#ifdef __cplusplus\n}\n#endif\n');
    expect(r.diagnostics).toEqual([]);
    const cpp = [{ directive: 'ifdef', expr: '__cplusplus' }];
    expect(r.items.map((i) => [i.kind, 'name' in i ? i.name : 'text' in i ? i.text : '', i.conds])).toEqual([
      ['other', 'extern "C" {', cpp], ['struct', 's', []], ['other', '}', cpp],
    ]);
  });

  it('keeps #pragma and other directives as raw items', () => {
    expect(parseHeader('#pragma pack(push, 1)\n').items).toEqual([{ kind: 'other', text: '#pragma pack ( push , 1 )', line: 1, conds: [] }]);
  });
});

describe('comments', () => {
  it('ignores comments anywhere, including between tokens and inside declarations', () => {
    const a = parseHeader(`struct /* tag */ s /* x */ { // c
      __u32 /* t */ a /* n */ [ /* d */ 4 /* e */ ] /* f */ ; /* g */
      __u8 /* multi
              line */ b;
    } /* h */ __attribute__ /* i */ ((packed)) /* j */ ;`);
    const b = parseHeader('struct s {\n__u32 a[4];\n\n__u8 b;\n} __attribute__((packed));');
    expect(a.diagnostics).toEqual([]);
    expect(a.items).toEqual(b.items);
  });

  it('does not see comment markers inside strings and character constants', () => {
    expect(tokenize(`#define S "a /* not */ b" // c\nchar c = '/'; /* x */`)).toEqual([
      '#', 'define', 'S', '"a /* not */ b"', 'char', 'c', '=', "'/'", ';',
    ]);
  });
});

describe('malformed input', () => {
  const cases: Array<[string, string, number]> = [
    ['unterminated comment', 'struct s { int a; };\n/* open', 2],
    ['unterminated string', '#define S "abc\n#define T 1\n', 1],
    ['#endif without #if', '#define A 1\n#endif\n', 2],
    ['#else after #else', '#if A\n#else\n#else\n#endif\n', 3],
    ['unterminated #if', '#ifdef A\n#define B 1\n', 2],
    ['missing ; after struct', 'struct s { int a; }\n#define X 1\n', 2],
    ['missing ; at end of file', 'struct s { int a; }', 1],
    ['unbalanced brace', 'struct s { int a; };\n};\n', 2],
    ['mismatched bracket', 'struct s { int a[4); };\n', 1],
    ['#define without a name', '#define\n', 1],
    ['unknown directive', '#frobnicate x\n', 1],
  ];
  it.each(cases)('%s: a diagnostic with its line, no exception', (_what, src, line) => {
    const r = parseHeader(src, 'bad.h');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.map((d) => d.line)).toContain(line);
    expect(r.diagnostics.every((d) => d.file === 'bad.h' && typeof d.message === 'string' && d.message.length > 0)).toBe(true);
  });

  it('keeps parsing after a bad declaration', () => {
    const r = parseHeader('struct s { int a; }\n#define X 1\nstruct t { int b; };\n');
    expect(r.items.map((i) => [i.kind, 'name' in i ? i.name : ''])).toEqual([
      ['struct', 's'], ['define', 'X'], ['struct', 't'],
    ]);
  });

  it('never throws and keeps every item in source order, whatever the input', () => {
    const piece = fc.constantFrom(
      'struct', 'union', 'enum', 'typedef', 'static', '__attribute__', '((packed))', '__DECLARE_FLEX_ARRAY(', 'x', '__u32',
      '{', '}', '(', ')', '[', ']', ';', ',', ':', '*', '=', '1', '"s', "'c", '/*', '*/', '//', '\\\n', '\n', ' ',
      '\n#define A 1\n', '\n#if X\n', '\n#else\n', '\n#endif\n', '\n#ifndef G\n', '\n#define G\n', '#', '\n#include <a.h>\n',
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const src = parts.join('');
      const r = parseHeader(src);
      const lines = r.items.map((i) => i.line);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      tokenize(src, { directiveEnds: true });
    }), { numRuns: 2000 });
  });
});
