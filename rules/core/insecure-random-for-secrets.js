function newSession() {
  // ruleid: CG-CORE019
  const sessionId = Math.random().toString(36).slice(2);
  return sessionId;
}

function resetToken() {
  // ruleid: CG-CORE019
  const reset_token = String(Math.random()).slice(2);
  return reset_token;
}

function jitter(delay) {
  // ok: CG-CORE019
  return delay * (1 + Math.random() / 10);
}

function pickColor(colors) {
  // ok: CG-CORE019
  return colors[Math.floor(Math.random() * colors.length)];
}
