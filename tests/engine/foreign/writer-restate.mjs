// SPDX-License-Identifier: MIT
// The foreign Writer on Restate's official TypeScript SDK: node writer-restate.mjs PORT serves
// the service WriterAgent (handler run) over HTTP/2 on 127.0.0.1, each step a ctx.run.
import "./polyfill.mjs"; // first: Node 20 lacks what the SDK expects
import * as http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { writeReport } from "./writer.mjs";

const writer = restate.service({
  name: "WriterAgent",
  handlers: {
    run: async (ctx, request) => {
      const info = request.research_info;
      const path = await writeReport({ ...info, query: request.prompt, files: info.search_results },
        (name, fn) => ctx.run(name, fn), { retries: 0 });
      return { report: path };
    },
  },
});

const server = http2.createServer(restate.createEndpointHandler({ services: [writer] }));
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
