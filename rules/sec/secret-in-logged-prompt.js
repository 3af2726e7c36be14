import pino from "pino";

const logger = pino();

export function start() {
  const apiKey = process.env.OPENAI_API_KEY;
  // ruleid: CG-SEC004
  console.log(`Using key ${apiKey}`);
  // ruleid: CG-SEC004
  logger.info({ token: process.env.GITHUB_TOKEN }, "starting");
  // ok: CG-SEC004
  console.log(`Key configured: ${Boolean(apiKey)}`);
  // ok: CG-SEC004
  console.log(`Model: ${process.env.MODEL_NAME}`);
  // ok: CG-SEC004
  logger.info(`Credentials file: ${process.env.CREDENTIALS_PATH}`);
}
