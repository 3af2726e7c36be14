import Anthropic from "@anthropic-ai/sdk";
import { exec, execFile } from "node:child_process";

const anthropic = new Anthropic();

export async function fix(task) {
  const message = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `Shell command for: ${task}` }],
  });
  const command = message.content[0].text;
  // ruleid: CG-LLM002
  exec(command);
  // ok: CG-LLM002
  execFile("git", ["status"]);
  // ok: CG-LLM002
  exec(`echo ${parseInt(command)}`);
}
