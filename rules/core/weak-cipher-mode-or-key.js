import crypto from "node:crypto";

export function seal(key, iv, data) {
  // ruleid: CG-CORE002
  const legacy = crypto.createCipheriv("des-ede3-cbc", key, iv);
  // ruleid: CG-CORE002
  const ecb = crypto.createCipheriv("aes-256-ecb", key, null);
  // ruleid: CG-CORE002
  const old = crypto.createCipher("aes-256-cbc", "password");
  // ok: CG-CORE002
  const gcm = crypto.createCipheriv("aes-256-gcm", key, iv);
  return [legacy, ecb, old, gcm, data];
}
