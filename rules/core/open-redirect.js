const express = require("express");

const app = express();

app.get("/login/done", (req, res) => {
  const next = req.query.next;
  // ruleid: CG-CORE023
  res.redirect(next);
});

app.get("/go", (req, res) => {
  // ruleid: CG-CORE023
  res.redirect(302, req.query.to);
  // ok: CG-CORE023
  res.redirect(`/items/${req.query.id}`);
  // ok: CG-CORE023
  res.redirect("/home");
});

app.get("/checked", (req, res) => {
  const target = req.query.next;
  if (!ALLOWED.includes(target)) {
    return res.status(400).end();
  }
  // ok: CG-CORE023
  res.redirect(target);
});
