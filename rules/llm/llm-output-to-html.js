import OpenAI from "openai";
import DOMPurify from "dompurify";

const client = new OpenAI({ dangerouslyAllowBrowser: true });

export async function show(question, el) {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: question }],
  });
  const answer = completion.choices[0].message.content;
  // ruleid: CG-LLM005
  el.innerHTML = `<div class="answer">${answer}</div>`;
  // ruleid: CG-LLM005
  el.insertAdjacentHTML("beforeend", answer);
  // ok: CG-LLM005
  el.textContent = answer;
  // ok: CG-LLM005
  el.innerHTML = DOMPurify.sanitize(answer);
  // ok: CG-LLM005
  el.innerHTML = "<em>done</em>";
}

export function Answer({ html }) {
  // ok: CG-LLM005
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

export async function Reply({ prompt }) {
  const reply = await client.responses.create({ model: "gpt-4o", input: prompt });
  // ruleid: CG-LLM005
  return <div dangerouslySetInnerHTML={{ __html: reply.output_text }} />;
}
