import express from "express";
import cors from "cors";

const app = express();
// ruleid: CG-CORE030
app.use(cors({ origin: true, credentials: true }));
// ruleid: CG-CORE030
app.use("/api", cors({ origin: /.*/, credentials: true }));
// ok: CG-CORE030
app.use(cors());
// ok: CG-CORE030
app.use(cors({ origin: "https://app.example.com", credentials: true }));
// A literal "*" (also the default) with credentials: browsers refuse to send credentials.
// ok: CG-CORE030
app.use(cors({ origin: "*", credentials: true }));
// ok: CG-CORE030
app.use(cors({ credentials: true }));
export default app;
