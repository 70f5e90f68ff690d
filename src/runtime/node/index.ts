// ioctl-abi/runtime/node: the Node-only half of the runtime — the kernel transport over koffi
// and the helpers the examples need to find their kernel version.
export { koffiTransport, withExplainer, type KoffiTransport } from './koffi.ts';
export { specVersionFor } from './kernel.ts';
