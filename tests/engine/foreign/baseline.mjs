// SPDX-License-Identifier: MIT
// The foreign Writer as a plain process: node baseline.mjs QUERY TEMP_DIR OUTPUT_DIR FILE...
// with OPENAI_BASE_URL, and the client settings TwinTrace passes as arguments' environment.
import { writeReport } from "./writer.mjs";

const [query, tempDir, outputDir, ...files] = process.argv.slice(2);
try {
  await writeReport({ query, temp_dir: tempDir, files, output_dir: outputDir,
    llm_base_url: process.env.OPENAI_BASE_URL },
    (_name, fn) => fn(),
    { retries: Number(process.env.TWINTRACE_MAX_RETRIES ?? 2),
      timeoutS: Number(process.env.TWINTRACE_CLIENT_TIMEOUT_S ?? 5) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
