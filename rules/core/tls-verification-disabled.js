const https = require("https");

// ruleid: CG-CORE005
const agent = new https.Agent({ rejectUnauthorized: false });
// ruleid: CG-CORE005
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
// ok: CG-CORE005
const strict = new https.Agent({ rejectUnauthorized: true });
// ok: CG-CORE005
const options = { rejectUnauthorized: process.env.NODE_ENV === "production" };
// ok: CG-CORE005
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
// ok: CG-CORE005
const flags = { verbose: false };
module.exports = { agent, strict, options, flags };
