import express from "express";
import cors from "cors";

const app = express();
// ruleid: CG-CORE030
app.use(cors({ origin: true, credentials: true }));
// ruleid: CG-CORE030
app.use(cors({ credentials: true }));
// ruleid: CG-CORE030
app.use("/api", cors({ origin: "*", credentials: true }));
// ok: CG-CORE030
app.use(cors());
// ok: CG-CORE030
app.use(cors({ origin: "https://app.example.com", credentials: true }));
// ok: CG-CORE030
app.use(cors({ origin: "*" }));
export default app;
