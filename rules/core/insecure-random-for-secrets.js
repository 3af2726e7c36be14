function newSession() {
  // ruleid: CG-CORE019
  const sessionId = Math.random().toString(36).slice(2);
  return sessionId;
}

function resetToken(user) {
  // ruleid: CG-CORE019
  user.reset_token = String(Math.random()).slice(2);
  // ruleid: CG-CORE019
  return { token: Math.random().toString(16).slice(2), user };
}

function jitter(delay) {
  // ok: CG-CORE019
  return delay * (1 + Math.random() / 10);
}

function pickColor(colors) {
  // ok: CG-CORE019
  const color = colors[Math.floor(Math.random() * colors.length)];
  return color;
}

async function writeCredentialsFile(targetPath, data) {
  // ok: CG-CORE019
  const tmpPath = `${targetPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  return [tmpPath, data];
}

async function log(server, messages, sessionId) {
  // ok: CG-CORE019
  await server.send(messages[Math.floor(Math.random() * messages.length)], sessionId);
}
