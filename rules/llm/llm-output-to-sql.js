import { ChatOpenAI } from "@langchain/openai";
import Database from "better-sqlite3";

const db = new Database("app.db");
const llm = new ChatOpenAI({ model: "gpt-4o" });

export async function ask(question) {
  const reply = await llm.invoke(`Write SQL for: ${question}`);
  // ruleid: CG-LLM003
  const rows = db.prepare(reply.content).all();
  // ok: CG-LLM003
  const safe = db.prepare("SELECT * FROM faq WHERE topic = ?").all(reply.content);
  return [rows, safe];
}
