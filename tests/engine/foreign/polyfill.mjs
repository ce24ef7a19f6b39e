// SPDX-License-Identifier: MIT
// Node 20 lacks what Restate's TypeScript SDK expects of newer runtimes; imported first by the
// services that use the SDK (writer-restate.mjs, tests/bench/steps-ts.mjs).
Promise.withResolvers ??= function () {
  let resolve, reject;
  const promise = new Promise((yes, no) => { resolve = yes; reject = no; });
  return { promise, resolve, reject };
};
