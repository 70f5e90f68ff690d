import { configDefaults, defineConfig } from 'vitest/config';

// Two groups: the host suites in parallel, then the qemu lab one file at a time (each file
// boots the guest, and boots racing each other on two cores only measure the machine).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'host',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/lab/**'],
          // Type tests (*.test-d.ts): expectTypeOf and @ts-expect-error, checked by tsc.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
