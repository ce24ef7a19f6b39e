// SPDX-License-Identifier: MIT
// A Writer nobody at TwinTrace wrote, in the shape of the team's: two LLM calls on an
// OpenAI-compatible server (a tool call to read_multiple_files, then the report), the notes
// read from the temp folder, the report saved into the output folder. `step(name, fn)` is where
// a durable version journals each step; the baseline runs them as they are.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One chat completion. `retries` extra attempts on 429/5xx (honouring Retry-After), as the
// OpenAI client does; a durable Writer passes 0 and lets Restate retry the step. No
// X-TwinTrace-Run header: the run is told apart by its base URL alone.
export async function chat(baseUrl, messages, { retries = 0, timeoutS = 5 } = {}) {
  for (let attempt = 0; ; ++attempt) {
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-oss-20b", messages, tools: [{ type: "function",
        function: { name: "read_multiple_files", parameters: { type: "object",
          properties: { paths: { type: "array", items: { type: "string" } } } } } }] }),
      signal: AbortSignal.timeout(timeoutS * 1000),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text).choices[0].message;
    if (attempt >= retries || (response.status !== 429 && response.status < 500))
      throw new Error(`LLM call failed: ${response.status} ${text.slice(0, 200)}`);
    await sleep(1000 * Number(response.headers.get("retry-after") ?? "1"));
  }
}

export async function writeReport(input, step, clientOptions) {
  const { query, temp_dir: tempDir, files, output_dir: outputDir, llm_base_url: baseUrl } = input;
  const system = { role: "system", content: `You write a research report. The temporary filesystem is \`${tempDir}\`.` };
  const user = { role: "user", content: `<research_request>${query}</research_request>\n\nSearch results:\n`
    + files.map((file) => `- ${join(tempDir, file)}`).join("\n") };
  const plan = await step("call LLM", () => chat(baseUrl, [system, user], clientOptions));
  const call = plan.tool_calls[0];
  const paths = JSON.parse(call.function.arguments).paths;
  const notes = await step("read_multiple_files", async () =>
    paths.map((path) => `${path}:\n${readFileSync(path, "utf8")}`).join("\n---\n"));
  const answer = await step("call LLM", () => chat(baseUrl, [system, user,
    { role: "assistant", content: null, tool_calls: [call] },
    { role: "tool", tool_call_id: call.id, content: notes }], clientOptions));
  return step("save_report", async () => {
    mkdirSync(outputDir, { recursive: true });
    const path = join(outputDir, "report.md");
    writeFileSync(path, answer.content);
    return path;
  });
}
