// What the kernel dispatch generator cannot print faithfully: it stops gen rather than emit C
// that would disagree with the model.
export class KdispatchError extends Error {}
