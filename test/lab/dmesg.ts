// Lines of a guest's dmesg that make a lab run fail.
const BAD = /\b(Oops|BUG|WARNING|KASAN|UBSAN)\b|general protection fault|Kernel panic|Call Trace:|kernel BUG at/;

export function dmesgProblems(dmesg: string): string[] {
  return dmesg.split('\n').filter((l) => BAD.test(l));
}
