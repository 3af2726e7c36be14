import OpenAI from "openai";

// ruleid: CG-SEC001
const client = new OpenAI({ apiKey: "sk-proj-Xq3vT9LmN2pR7sK4wY8zB1cD5fG6hJ0kT3BlbkFJa9Qe2Rt5Yu8Io1Pa4Sd7Fg0Hj3Kl6" });
// ok: CG-SEC001
const fromEnv = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
// ok: CG-SEC001
const placeholder = "sk-proj-your-key-here";
// ruleid: CG-SEC001
const hf = `Bearer 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`;
export { client, fromEnv, placeholder, hf };
