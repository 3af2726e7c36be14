import express from "express";
import escapeHtml from "escape-html";

const app = express();

app.get("/hello", (req, res) => {
  // ruleid: CG-CORE024
  res.send(`<h1>Hello ${req.query.name}</h1>`);
  // ok: CG-CORE024
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
  // ok: CG-CORE024
  res.json({ name: req.query.name });
  // ok: CG-CORE024
  res.send(req.body);
});
