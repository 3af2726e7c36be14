import OpenAI from "openai";
import fs from "node:fs";
import path from "node:path";

const client = new OpenAI();

export async function save(prompt, body) {
  const response = await client.responses.create({ model: "gpt-4o", input: prompt });
  const name = response.output_text;
  // ruleid: CG-LLM006
  fs.writeFileSync(name, body);
  // ruleid: CG-LLM006
  await fetch(name);
  // ok: CG-LLM006
  fs.writeFileSync(path.join("/tmp/out", path.basename(name)), body);
  // ok: CG-LLM006
  await fetch(`https://api.example.com/items/${name}`);
}
