// The record writer in Node for pytest (tests/components/work/records.py): one process for a
// whole test session. Each stdin line is a JSON job {model, ticket, format, words}; each stdout
// line answers it: {"record": text} or {"error": message}, so one broken case fails alone.
import { createInterface } from "node:readline";
import { record } from "../../../overrides/kb/components/work/record.mjs";

for await (const line of createInterface({ input: process.stdin })) {
  let answer;
  try {
    const { model, ticket, format, words } = JSON.parse(line);
    answer = { record: record(model, ticket, { format, words }) };
  } catch (error) {
    answer = { error: String(error && error.stack) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
