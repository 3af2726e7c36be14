import OpenAI from "openai";
import { generateText } from "ai";
import { SystemMessage } from "@langchain/core/messages";

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function debug(question, model) {
  const dbUrl = process.env.DATABASE_URL;
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    // ruleid: CG-SEC003
    messages: [{ role: "system", content: `Connect with ${dbUrl}` }, { role: "user", content: question }],
  });
  // ruleid: CG-SEC003
  const { text } = await generateText({ model, system: `Stripe key: ${process.env["STRIPE_SECRET_KEY"]}`, prompt: question });
  // ruleid: CG-SEC003
  const system = new SystemMessage(`Use token ${process.env.GITHUB_TOKEN}`);
  // ok: CG-SEC003
  const other = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] });
  // ok: CG-SEC003
  const path = await generateText({ model, prompt: `Read ${process.env.CREDENTIALS_PATH}` });
  return [completion, text, system, other, path];
}
