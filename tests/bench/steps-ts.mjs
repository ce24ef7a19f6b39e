// SPDX-License-Identifier: MIT
// bench_steps' reference: Restate's official TypeScript SDK serving the service StepsTs over
// HTTP/2 on 127.0.0.1 (node steps-ts.mjs PORT): run takes n and makes n ctx.run steps, noop makes
// none. The same handlers as our endpoints serve in bench_steps.cpp.
import "../engine/foreign/polyfill.mjs"; // first: Node 20 lacks what the SDK expects
import * as http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";

const steps = restate.service({
  name: "StepsTs",
  handlers: {
    run: async (ctx, n) => {
      let last = "";
      for (let i = 0; i < n; ++i) last = await ctx.run("step", async () => `step ${i}`);
      return last;
    },
    noop: async () => "",
  },
});

const server = http2.createServer(restate.createEndpointHandler({ services: [steps] }));
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
