import express from "express";
import axios from "axios";

const app = express();

app.get("/preview", async (req, res) => {
  // ruleid: CG-CORE022
  const page = await fetch(req.query.url);
  // ruleid: CG-CORE022
  const other = await axios.get(req.query.url);
  // ok: CG-CORE022
  const item = await fetch(`https://api.example.com/items/${req.query.id}`);
  res.json({ page: await page.text(), other: other.data, item: await item.json() });
});
