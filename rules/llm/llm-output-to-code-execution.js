import OpenAI from "openai";
import { generateText } from "ai";
import { openai as provider } from "@ai-sdk/openai";

const client = new OpenAI();

export async function solve(question) {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: question }],
  });
  const code = completion.choices[0].message.content;
  // ruleid: CG-LLM001
  const answer = eval(code);
  // ok: CG-LLM001
  const data = JSON.parse(code);
  // ok: CG-LLM001
  const fixed = eval("2 + 2");
  return [answer, data, fixed];
}

export async function plot(prompt) {
  const { text } = await generateText({ model: provider("gpt-4o"), prompt });
  // ruleid: CG-LLM001
  const draw = new Function("ctx", text);
  return draw;
}
