// The one seam between generated clients and whatever answers their requests: the kernel
// (through koffi), a recorder in tests, or a fake. Generated code only ever calls this.

/** The argument of one ioctl: a buffer the kernel reads or fills, a plain integer, or nothing. */
export type IoctlArg = Uint8Array | bigint | null;

/** One ioctl as a client made it: enough to name it in an error and to ask the model why it failed. */
export interface IoctlCall {
  readonly fd: number;
  /** The spec's fd kind ('vhost-vdpa', 'vduse-device', ...). */
  readonly fdKind: string;
  /** The request's name, or 'read' / 'write' for a message channel. */
  readonly request: string;
  /** The number passed to ioctl (0 for read and write). */
  readonly number: number;
  readonly arg: IoctlArg;
}

export interface Transport {
  /**
   * ioctl(fd, request, arg). Returns the kernel's non-negative result, or -errno on failure
   * (kernel style, so a caller decides how to report it without a try/catch per call).
   */
  ioctl(fd: number, request: number, arg: IoctlArg): number;
  /** read(fd, buf): bytes read, or -errno. */
  read(fd: number, buf: Uint8Array): number;
  /** write(fd, buf): bytes written, or -errno. */
  write(fd: number, buf: Uint8Array): number;
  /**
   * The name of an errno on the machine the transport talks to (errno numbers differ between
   * architectures). Optional: without it the generic Linux numbering is assumed.
   */
  errnoName?(errno: number): string | undefined;
  /** Why the kernel refused a call, where a behaviour model knows (a status gate, an index bound). */
  explain?(call: IoctlCall, errno: number): string | undefined;
}
