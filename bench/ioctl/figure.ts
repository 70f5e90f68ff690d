// Rounds of the ioctl bench and how a figure is reported (shared by run.ts and lab.ts).
const TARGET = 1.6;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/** One timed round: wall-clock and CPU ns per call. */
export interface Round { wall: number; cpu: number }
export const rounds = (out: string): Round[] => out.trim().split('\n').map((l) => {
  const [wall, cpu] = l.split(' ').map(Number);
  return { wall: wall as number, cpu: cpu as number };
});

export interface Figure { c: Round[]; node: Round[] }

/** The table row of one figure: CPU ns per call of each side and the ratio, then the same by wall-clock. */
export function row(what: string, f: Figure): string {
  const m = (side: Round[], k: keyof Round): number => median(side.map((r) => r[k]));
  const ratio = m(f.node, 'cpu') / m(f.c, 'cpu');
  const wall = m(f.node, 'wall') / m(f.c, 'wall');
  return `| ${what} | ${m(f.c, 'cpu').toFixed(0)} | ${m(f.node, 'cpu').toFixed(0)} | ${ratio.toFixed(2)} | ${m(f.c, 'wall').toFixed(0)} / ${m(f.node, 'wall').toFixed(0)} = ${wall.toFixed(2)} | <= ${TARGET} ${ratio <= TARGET ? 'met' : 'missed'} |`;
}

