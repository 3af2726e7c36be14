const jwt = require("jsonwebtoken");

function authenticate(token, key) {
  // ruleid: CG-CORE027
  const claims = jwt.verify(token, key, { algorithms: ["HS256", "none"] });
  // ok: CG-CORE027
  const checked = jwt.verify(token, key, { algorithms: ["RS256"] });
  // ok: CG-CORE027
  const plain = jwt.verify(token, key);
  return [claims, checked, plain];
}
module.exports = { authenticate };
