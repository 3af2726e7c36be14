import express from "express";
import fs from "node:fs";
import path from "node:path";

const app = express();
const UPLOADS = "/srv/uploads";

app.get("/files/:name", (req, res) => {
  // ruleid: CG-CORE021
  res.sendFile(path.join(UPLOADS, req.params.name));
  // ok: CG-CORE021
  res.sendFile(req.params.name, { root: UPLOADS });
});

app.post("/notes", async (req, res) => {
  const file = req.body.file;
  // ruleid: CG-CORE021
  fs.writeFileSync(file, req.body.text);
  // ok: CG-CORE021
  fs.writeFileSync(path.join(UPLOADS, path.basename(file)), req.body.text);
  // ok: CG-CORE021
  fs.writeFileSync(path.join(UPLOADS, "log.txt"), req.body.text);
  res.end();
});
