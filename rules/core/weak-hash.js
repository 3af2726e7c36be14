const crypto = require("crypto");

function hashPassword(password) {
  // ruleid: CG-CORE001
  return crypto.createHash("md5").update(password).digest("hex");
}

function verifySignature(body, expected) {
  // ruleid: CG-CORE001
  const digest = crypto.createHash("sha1").update(body).digest("hex");
  return digest === expected;
}

function cacheKey(url) {
  // ok: CG-CORE001
  return crypto.createHash("md5").update(url).digest("hex");
}

function storePassword(password, salt) {
  // ok: CG-CORE001
  return crypto.createHash("sha256").update(salt + password).digest("hex");
}
